// A TCP proxy that delays every chunk by `oneWayMs` in each direction, in order: the
// region→home link at a chosen distance (the lab does the same with its latency links).
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface DelayProxy {
  readonly url: string;
  /** Changes the one-way delay for chunks sent from now on. */
  setOneWayMs(ms: number): void;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (port 0) and forwards to `target` (`host:port`). */
export async function startDelayProxy(
  target: { host: string; port: number },
  oneWayMs = 0,
): Promise<DelayProxy> {
  let delay = oneWayMs;
  const sockets = new Set<Socket>();
  const pipe = (from: Socket, to: Socket) => {
    let last = 0;
    from.on('data', (chunk) => {
      // Never deliver before an earlier chunk, even if the delay was lowered meanwhile.
      const at = Math.max(Date.now() + delay, last);
      last = at;
      const send = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (at <= Date.now()) send();
      else setTimeout(send, at - Date.now());
    });
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, last - Date.now())));
    from.on('error', () => to.destroy());
    from.on('close', () => sockets.delete(from));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    setOneWayMs(ms) {
      delay = ms;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
