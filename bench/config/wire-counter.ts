// A counting TCP proxy on 127.0.0.1: bytes each way and HTTP request heads, as seen on the wire.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface WireCounts {
  requests: number;
  bytesUp: number;
  bytesDown: number;
  /** Status codes of responses, as read from status lines on the wire. */
  statuses: Map<number, number>;
}

export interface WireCounter {
  readonly port: number;
  readonly counts: WireCounts;
  reset(): void;
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)(GET|HEAD|POST|PUT|DELETE) \S+ HTTP\/1\.1\r\n/g;
const STATUS_LINE = /HTTP\/1\.1 (\d{3}) /g;

/** Forwards every connection to `targetPort` and counts what crosses. */
export async function startWireCounter(targetPort: number): Promise<WireCounter> {
  const counts: WireCounts = { requests: 0, bytesUp: 0, bytesDown: 0, statuses: new Map() };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      counts.bytesUp += chunk.length;
      counts.requests += [...chunk.toString('latin1').matchAll(REQUEST_LINE)].length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      counts.bytesDown += chunk.length;
      for (const m of chunk.toString('latin1').matchAll(STATUS_LINE)) {
        const code = Number(m[1]);
        counts.statuses.set(code, (counts.statuses.get(code) ?? 0) + 1);
      }
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    counts,
    reset() {
      counts.requests = 0;
      counts.bytesUp = 0;
      counts.bytesDown = 0;
      counts.statuses.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
