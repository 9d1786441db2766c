// End to end on loopback: a real HealthMonitor with the real HttpProbe and the system clock
// against a real HTTP server whose /healthz switches between ok, 500 and a grey failure.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthTable } from '../../health-table/index.js';
import { lintWorldText } from '../../world/index.js';
import { HealthMonitor } from '../health-monitor.js';
import { HealthCheckProbe } from './health-check-probe.js';

let mode: 'ok' | 'status' | 'grey' | 'stall' = 'ok';
const sockets = new Set<Socket>();
let server: Server | null = null;
let monitor: HealthMonitor | null = null;

afterEach(async () => {
  await monitor?.stop();
  monitor = null;
  for (const s of sockets) s.destroy();
  const srv = server;
  server = null;
  if (srv) await new Promise<void>((resolve) => srv.close(() => resolve()));
});

async function startServer(): Promise<number> {
  const srv = createServer((req, res) => {
    if (mode === 'grey') return;
    res.writeHead((mode === 'ok' || mode === 'stall') && req.url === '/healthz' ? 200 : 500);
    res.end();
    if (mode === 'stall') {
      const until = Date.now() + 150; // block this process past the timeout after answering
      while (Date.now() < until) {
        /* a stalled event loop */
      }
    }
  });
  srv.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  server = srv;
  const addr = srv.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

/** Polls the monitor's table until `pred` holds; fails after 10 s (never a timing assertion). */
async function until(m: HealthMonitor, pred: (t: HealthTable) => boolean): Promise<HealthTable> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const t = m.table();
    if (pred(t)) return t;
    if (Date.now() > deadline) throw new Error(`condition not met; table: ${JSON.stringify(t)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('HealthMonitor over HTTP', () => {
  it('an answer that arrived in time wins over a deadline that ran late after a stall', async () => {
    mode = 'stall';
    const port = await startServer();
    const world = lintWorldText(
      [
        'zone: example.test',
        'home: r1',
        'regions:',
        `  r1: { cidr: 10.1.0.0/16, address: 127.0.0.1, port: ${port}, location: { lat: 0, lon: 0 } }`,
        'health: { path: /healthz, intervalMs: 1000, timeoutMs: 50, rise: 2, fall: 2 }',
      ].join('\n'),
    ).world!;
    monitor = new HealthMonitor({ world, probe: new HealthCheckProbe() });
    monitor.start();
    // the first result decides: a (false) timeout would make it down, the answer makes it up
    const t = await until(monitor, (t) => t.regions[0]!.state !== 'unknown');
    expect(t.regions[0]).toMatchObject({ state: 'up', lastError: null });
  });

  it('follows a region through ok → 500 → ok → grey failure → ok', async () => {
    mode = 'ok';
    const port = await startServer();
    const world = lintWorldText(
      [
        'zone: example.test',
        'home: r1',
        'regions:',
        `  r1: { cidr: 10.1.0.0/16, address: 127.0.0.1, port: ${port}, location: { lat: 0, lon: 0 } }`,
        'health: { path: /healthz, intervalMs: 50, timeoutMs: 500, rise: 2, fall: 2 }',
      ].join('\n'),
    ).world!;
    monitor = new HealthMonitor({ world, probe: new HealthCheckProbe() });
    const m = monitor;
    m.start();
    await until(m, (t) => t.regions[0]!.serving);
    mode = 'status';
    expect((await until(m, (t) => t.regions[0]!.state === 'down')).regions[0]!.lastError).toBe('status 500');
    mode = 'ok';
    await until(m, (t) => t.regions[0]!.serving);
    mode = 'grey';
    expect((await until(m, (t) => t.regions[0]!.state === 'down')).regions[0]!.lastError).toBe('timeout');
    mode = 'ok';
    const back = await until(m, (t) => t.regions[0]!.serving);
    expect(back.version).toBeGreaterThanOrEqual(5); // unknown→up, down, up, down, up (at least)
  });
});
