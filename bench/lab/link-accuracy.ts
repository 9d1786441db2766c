// How faithfully a TcpLatencyLink plays out an RTT, and what it costs: ping-pong round trips
// through links of 0 and 50 ms vs a direct connection, and bulk throughput (link 0 ms vs direct).
// Run: npx tsx bench/lab/link-accuracy.ts
import { connect, createServer, type Socket } from 'node:net';
import { TcpLatencyLink } from '../../src/lab/index.js';

async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function pingPong(port: number, n: number): Promise<number[]> {
  const s = connect(port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      s.once('data', () => r());
      s.write('x');
    });
    out.push(performance.now() - t0);
  }
  s.destroy();
  return out;
}

async function bulk(port: number, bytes: number): Promise<number> {
  const s = connect(port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  const block = Buffer.alloc(64 * 1024, 7);
  let got = 0;
  const t0 = performance.now();
  const done = new Promise<void>((r) =>
    s.on('data', (b: Buffer) => {
      got += b.length;
      if (got >= bytes) r();
    }),
  );
  for (let sent = 0; sent < bytes; sent += block.length) {
    if (!s.write(block)) await new Promise((r) => s.once('drain', r));
  }
  await done;
  const secs = (performance.now() - t0) / 1000;
  s.destroy();
  return bytes / secs / 1e6;
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil(p * xs.length) - 1]!;

const echo = await echoServer();
const rows: string[] = [];
for (const rtt of [0, 50]) {
  const link = new TcpLatencyLink({
    listenHost: '127.0.0.1',
    targetHost: '127.0.0.1',
    targetPort: echo.port,
    rttMs: rtt,
  });
  await link.start();
  const via = await pingPong(link.address.port, rtt === 0 ? 2000 : 100);
  rows.push(
    `link ${rtt} ms: ping-pong p50 ${q(via, 0.5).toFixed(2)} ms, p99 ${q(via, 0.99).toFixed(2)} ms, min ${Math.min(...via).toFixed(2)} ms (excess over RTT at p50: ${(q(via, 0.5) - rtt).toFixed(2)} ms)`,
  );
  if (rtt === 0) rows.push(`link 0 ms: bulk echo ${(await bulk(link.address.port, 200e6)).toFixed(0)} MB/s`);
  await link.stop();
}
const direct = await pingPong(echo.port, 2000);
rows.push(`direct: ping-pong p50 ${q(direct, 0.5).toFixed(2)} ms, p99 ${q(direct, 0.99).toFixed(2)} ms`);
rows.push(`direct: bulk echo ${(await bulk(echo.port, 200e6)).toFixed(0)} MB/s`);
await echo.close();
console.log(rows.join('\n'));
