// How exactly a latency link plays out its RTT: 300 one-byte round trips through one
// `TcpLatencyLink` to an echo server, 0–20 ms apart; prints p50/p90/p99/min.
// Run: npx tsx bench/latency-link/echo.ts [RTT_MS]   (default 2; try 18.5)
import { connect, createServer } from 'node:net';
import { TcpLatencyLink } from '../../src/lab/index.js';

const rtt = Number(process.argv[2] ?? 2);
const echo = createServer((s) => {
  s.on('data', (b) => s.write(b));
  s.on('error', () => {}); // the link resets its sockets on stop
});
await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
const address = echo.address();
const port = typeof address === 'object' && address ? address.port : 0;
const link = new TcpLatencyLink({
  listenHost: '127.0.0.1',
  targetHost: '127.0.0.1',
  targetPort: port,
  rttMs: rtt,
  connectDelayMs: 0,
});
await link.start();
const c = connect(link.address.port, '127.0.0.1');
await new Promise((resolve) => c.once('connect', resolve));
const xs: number[] = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  c.write('x');
  await new Promise((resolve) => c.once('data', resolve));
  xs.push(performance.now() - t);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
}
xs.sort((a, b) => a - b);
const at = (q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!.toFixed(2);
console.log(`rtt ${rtt} ms: p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} min ${at(0)} (300 round trips)`);
c.destroy();
await link.stop();
echo.close();
