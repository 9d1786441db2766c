import { createHash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpLatencyLink } from './tcp-latency-link.js';
import { untilTrue } from './test-support/until.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function listen(handler: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('close', () => sockets.delete(s));
    handler(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : 0 };
}

async function link(targetPort: number, rttMs: number, maxBufferedBytes?: number): Promise<TcpLatencyLink> {
  const l = new TcpLatencyLink({
    listenHost: '127.0.0.1',
    targetHost: '127.0.0.1',
    targetPort,
    rttMs,
    ...(maxBufferedBytes ? { maxBufferedBytes } : {}),
  });
  await l.start();
  cleanups.push(() => l.stop());
  return l;
}

function dial(l: TcpLatencyLink): Socket {
  const s = connect({ ...l.address, allowHalfOpen: true });
  s.on('error', () => {});
  cleanups.push(() => {
    s.destroy();
  });
  return s;
}

const until = (cond: () => boolean, what: string, ms = 10_000) => untilTrue(cond, what, ms);

describe('TcpLatencyLink', () => {
  it('delivers bytes in order and costs at least a round trip to connect plus one per exchange', async () => {
    const { port } = await listen((s) => s.pipe(s));
    const rtt = 40;
    const l = await link(port, rtt);
    const s = dial(l);
    const chunks: Buffer[] = [];
    let firstAt = 0;
    const t0 = performance.now();
    s.on('data', (b: Buffer) => {
      if (!firstAt) firstAt = performance.now();
      chunks.push(b);
    });
    const sent: Buffer[] = [];
    for (let i = 0; i < 500; i++) {
      const b = Buffer.from(`chunk-${i};`);
      sent.push(b);
      s.write(b);
    }
    const total = Buffer.concat(sent);
    await until(() => Buffer.concat(chunks).length >= total.length, 'echo');
    expect(Buffer.concat(chunks).equals(total)).toBe(true);
    // set-up (1 RTT) + there (½) + back (½)
    expect(firstAt - t0).toBeGreaterThanOrEqual(2 * rtt);
    expect(l.connections).toBe(1);
  });

  /** An echo through `l`: one exchange to open the path, `between()`, then the timed exchange. */
  async function timedSecondEcho(l: TcpLatencyLink, between: () => void = () => {}): Promise<number> {
    const s = dial(l);
    let got = 0;
    s.on('data', (b: Buffer) => {
      got += b.length;
    });
    s.write('x');
    await until(() => got === 1, 'first echo');
    between();
    const t1 = performance.now();
    s.write('y');
    await until(() => got === 2, 'second echo');
    return performance.now() - t1;
  }

  it('delays a request/response exchange on an open connection by at least one RTT', async () => {
    const { port } = await listen((s) => s.pipe(s));
    const l = await link(port, 30);
    expect(await timedSecondEcho(l)).toBeGreaterThanOrEqual(30);
  });

  it('plays a changed RTT on an open connection from the next exchange (latency drill)', async () => {
    const { port } = await listen((s) => s.pipe(s));
    const l = await link(port, 2);
    const ms = await timedSecondEcho(l, () => l.setRttMs(120));
    expect(l.rttMs).toBe(120);
    expect(ms).toBeGreaterThanOrEqual(120);
  });

  it('passes a half-close through: the client ends, the server still answers', async () => {
    const { port } = await listen((s) => {
      const parts: Buffer[] = [];
      s.on('data', (b: Buffer) => parts.push(b));
      s.on('end', () => s.end(Buffer.concat([Buffer.from('got:'), ...parts])));
    });
    const l = await link(port, 10);
    const s = dial(l);
    const reply: Buffer[] = [];
    let ended = false;
    let closed = false;
    s.on('data', (b: Buffer) => reply.push(b));
    s.on('end', () => {
      ended = true;
    });
    s.on('close', () => {
      closed = true;
    });
    s.end('hello');
    await until(() => ended && closed, 'end and close');
    expect(Buffer.concat(reply).toString()).toBe('got:hello');
    await until(() => l.openSockets === 0, 'link sockets closed');
  });

  it('applies backpressure to the sender when the target does not read, and loses nothing', async () => {
    let server: Socket | undefined;
    const hash = createHash('sha256');
    let received = 0;
    const { port } = await listen((s) => {
      server = s;
      s.pause();
      s.on('data', (b: Buffer) => {
        hash.update(b);
        received += b.length;
      });
    });
    const l = await link(port, 4, 64 * 1024);
    const s = dial(l);
    const sentHash = createHash('sha256');
    let sent = 0;
    const block = Buffer.alloc(64 * 1024);
    let blocked = false;
    const loopDeadline = Date.now() + 30_000;
    for (let i = 0; i < 2000 && !blocked && !s.destroyed && Date.now() < loopDeadline; i++) {
      block.fill(i % 251);
      sentHash.update(block);
      sent += block.length;
      if (!s.write(block)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            // The sender stays blocked while the target does not read.
            s.off('drain', onDrain);
            if (s.writableNeedDrain) blocked = true;
            resolve();
          }, 200);
          const onDrain = () => {
            clearTimeout(timer);
            resolve();
          };
          s.once('drain', onDrain);
        });
      }
    }
    expect(blocked).toBe(true);
    expect(sent).toBeLessThan(2000 * 64 * 1024);
    server!.resume();
    s.end();
    await until(() => received === sent, 'all bytes at the target', 20_000);
    expect(hash.digest('hex')).toBe(sentHash.digest('hex'));
  });

  it('closes the client when the target refuses, after the set-up round trip', async () => {
    const { server, port } = await listen(() => {});
    await new Promise<void>((r) => server.close(() => r()));
    const l = await link(port, 20);
    const s = dial(l);
    let closed = false;
    s.on('error', () => {});
    s.on('close', () => {
      closed = true;
    });
    const t0 = performance.now();
    await until(() => closed, 'client close');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(20);
    await until(() => l.openSockets === 0, 'link sockets closed');
  });

  it('stop() closes the listener and every relayed connection', async () => {
    const { port } = await listen((s) => s.pipe(s));
    const l = await link(port, 5);
    const s = dial(l);
    let got = 0;
    let closed = false;
    s.on('error', () => {});
    s.on('data', (b: Buffer) => {
      got += b.length;
    });
    s.on('close', () => {
      closed = true;
    });
    s.write('ping');
    await until(() => got === 4, 'echo');
    expect(l.openSockets).toBe(2);
    await l.stop();
    expect(l.openSockets).toBe(0);
    await until(() => closed, 'client closed');
    const again = connect(l.address);
    const err = await new Promise<NodeJS.ErrnoException>((r) => again.once('error', r));
    expect(err.code).toBe('ECONNREFUSED');
  });
});
