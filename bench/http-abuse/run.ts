// Issue 17, finding 12: slow HTTP clients against `meridian home` run with `ulimit -n 1024`.
// 1. How long home holds a connection that drips its headers one byte a second.
// 2. How many of 30 legitimate requests (GET /livez from 127.0.0.1, one a second, 5 s each)
//    are answered while 1,100 such connections are held from other loopback addresses
//    (127.0.200.1…, SLOW_ADDRESSES of them); a connection home closes is opened again, as an
//    attacker would. Everything is bounded in count and time.
// Run: npm run build && npx tsx bench/http-abuse/run.ts   (prints a Markdown summary)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SLOW = Number(process.env.SLOW_CONNECTIONS ?? 1100);
const SLOW_ADDRESSES = Number(process.env.SLOW_ADDRESSES ?? 22);
const LEGIT = Number(process.env.LEGIT_REQUESTS ?? 30);
const HOLD_PROBES = Number(process.env.HOLD_PROBES ?? 5);
const HOLD_CAP_MS = Number(process.env.HOLD_CAP_MS ?? 150_000);
const DRIP_MS = 1_000;
const RECONNECT_MS = Number(process.env.RECONNECT_MS ?? 100);
const MAX_OPENS = Number(process.env.MAX_OPENS ?? 200_000); // bound on the attacker's reconnects
const here = fileURLToPath(new URL('.', import.meta.url));

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function startHome(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    'bash',
    [
      join(here, 'home-1024.sh'),
      '--port',
      '0',
      '--data-dir',
      join(dir, 'home'),
      '--escrow',
      join(dir, 'escrow'),
      '--sqlite',
    ],
    {
      env: { ...process.env, MERIDIAN_ADMIN_TOKEN: randomBytes(24).toString('base64url') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`home did not start:\n${out}`)), 30_000);
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/[^\s,]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 50);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`home exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A connection that sends a request line and then one header byte every DRIP_MS, forever. */
function slowConnection(
  port: number,
  localAddress: string,
  onClose: () => void,
): { socket: Socket; openedAt: number } {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  const openedAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write('GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    timer = setInterval(() => socket.write('a'), DRIP_MS);
  });
  socket.on('error', () => {});
  socket.on('data', () => {});
  socket.on('close', () => {
    clearInterval(timer);
    onClose();
  });
  return { socket, openedAt };
}

/** Milliseconds until home closes each of HOLD_PROBES slow connections (capped). */
async function holdTimes(port: number): Promise<number[]> {
  const results = await Promise.all(
    Array.from(
      { length: HOLD_PROBES },
      () =>
        new Promise<number>((resolve) => {
          let c: { socket: Socket; openedAt: number } | undefined;
          const cap = setTimeout(() => {
            c?.socket.destroy();
          }, HOLD_CAP_MS);
          c = slowConnection(port, '127.0.199.1', () => {
            clearTimeout(cap);
            resolve(Math.min(HOLD_CAP_MS, performance.now() - c!.openedAt));
          });
        }),
    ),
  );
  return results.sort((a, b) => a - b);
}

function legitRequest(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/livez', agent: false, localAddress: '127.0.0.1' },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Home's meridian_http_connections_* lines (none before the fix). */
function serverMetrics(port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve(
          text
            .split('\n')
            .filter((l) => l.startsWith('meridian_http_connections_'))
            .join('; ') || 'none',
        ),
      );
    });
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => resolve('unanswered'));
    req.end();
  });
}

async function underSlowLoris(
  port: number,
): Promise<{ answered: number; held: number; opens: number; bounded: boolean; metrics: string }> {
  let open = 0;
  let opens = 0;
  let stopping = false;
  const sockets = new Set<Socket>();
  const openOne = (i: number) => {
    if (stopping || opens >= MAX_OPENS) return;
    opens++;
    open++;
    const addr = `127.0.200.${(i % SLOW_ADDRESSES) + 1}`;
    const c = slowConnection(port, addr, () => {
      open--;
      sockets.delete(c.socket);
      // The attacker opens it again after a short pause.
      setTimeout(() => openOne(i), RECONNECT_MS);
    });
    sockets.add(c.socket);
  };
  for (let i = 0; i < SLOW; i++) {
    openOne(i);
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 3_000)); // let them settle in
  const held = open;
  const results = await Promise.all(
    Array.from(
      { length: LEGIT },
      (_, i) => new Promise<boolean>((r) => setTimeout(() => legitRequest(port).then(r), i * 1_000)),
    ),
  );
  // Home's own count, asked while the slow clients are still there (a legitimate request too).
  const metrics = await serverMetrics(port);
  const bounded = opens >= MAX_OPENS; // the attacker ran out of reconnects before the end
  stopping = true;
  for (const s of sockets) s.destroy();
  return { answered: results.filter(Boolean).length, held, opens, bounded, metrics };
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-http-abuse-'));
const home = await startHome(dir);
try {
  const port = Number(new URL(home.url).port);
  console.log(`home ${home.url}, ulimit -n 1024; load ${load()}`);
  const holds = await holdTimes(port);
  console.log(
    `hold: ${holds.map((h) => (h / 1000).toFixed(1)).join(', ')} s (median ${(holds[Math.floor(holds.length / 2)]! / 1000).toFixed(1)} s, cap ${HOLD_CAP_MS / 1000} s); load ${load()}`,
  );
  const r = await underSlowLoris(port);
  console.log(
    `legit: ${r.answered} of ${LEGIT} answered while ${SLOW} slow connections were kept open from ${SLOW_ADDRESSES} addresses (${r.held} open when the legit requests began, ${r.opens} opens in all${r.bounded ? `, STOPPED at the ${MAX_OPENS}-open bound before the end` : ''}); load ${load()}`,
  );
  console.log(`home's connection metrics at the end of the attack: ${r.metrics}`);
  const after = await legitRequest(port);
  console.log(`after the slow clients left: a legit request ${after ? 'is' : 'is NOT'} answered`);
} finally {
  await home.stop();
  rmSync(dir, { recursive: true, force: true });
}
