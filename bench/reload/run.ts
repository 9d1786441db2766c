// bench/reload: the longest gap in UDP answers of a real `meridian dns` while it reloads a large
// valid world and then a broken one. Usage: npm run build && tsx bench/reload/run.ts [NETWORKS]
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { generateBrokenWorld, generateValidWorld } from './generate-world.js';

const networks = Number(process.argv[2] ?? 20_000);
const brokenEntries = Number(process.argv[3] ?? 24_000);
const udpIo = process.env.UDP_IO ?? 'auto';
/** Send one query every SEND_EVERY_MS; never more than MAX_QUERIES in all. */
const SEND_EVERY_MS = 1;
const MAX_QUERIES = 400_000;
/** How long the answers are watched with no reload, for the machine's own gaps. */
const IDLE_MS = 5_000;
/** How long to wait for the reload to be logged before giving up. */
const RELOAD_DEADLINE_MS = 180_000;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-reload-'));
const file = join(dir, 'meridian.yaml');
const put = (text: string) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};
const worldA = generateValidWorld(networks, 0);
const worldB = generateValidWorld(networks, 1);
const broken = generateBrokenWorld('hostnames', brokenEntries);
put(worldA);

const bin = new URL('../../bin/meridian.js', import.meta.url).pathname;
// TRACE_GC=1: the server runs with --trace-gc, and its pauses of 10 ms or more are printed
const traceGc = process.env.TRACE_GC === '1';
const server: ChildProcess = spawn(
  process.execPath,
  [
    ...(traceGc ? ['--trace-gc'] : []),
    bin,
    'dns',
    file,
    '--listen',
    '127.0.0.1:0',
    '--admin',
    'off',
    '--no-watch',
    '--udp-io',
    udpIo,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'] },
);
let stdout = '';
let stderr = '';
server.stdout!.on('data', (b: Buffer) => {
  stdout += b.toString();
});
server.stderr!.on('data', (b: Buffer) => {
  stderr += b.toString();
});

async function until<T>(what: string, get: () => T | undefined, deadlineMs: number): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${stderr}\n${stdout.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const answers: number[] = [];
let sent = 0;
const client = createSocket('udp4');
client.on('message', () => answers.push(performance.now()));

async function main(): Promise<void> {
  const t0 = Date.now();
  const port = await until(
    'the server to listen',
    () => {
      const m = /on 127\.0\.0\.1:(\d+) \(udp io: (\w+)\)/.exec(stderr);
      return m ? { port: Number(m[1]), io: m[2] } : undefined;
    },
    RELOAD_DEADLINE_MS,
  );
  const startMs = Date.now() - t0;
  const query = dnsPacket.encode({
    type: 'query',
    id: 1,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name: 'links.reload.test' }],
  });
  const timer = setInterval(() => {
    if (sent >= MAX_QUERIES) return;
    sent += 1;
    query.writeUInt16BE(sent & 0xffff, 0);
    client.send(query, port.port, '127.0.0.1');
  }, SEND_EVERY_MS);

  /**
   * The longest gap between answers in [from, to] (ms of performance.now, the window's edges
   * count), and how many gaps were longer than 50 ms.
   */
  const maxGap = (from: number, to: number) => {
    let prev = from;
    let gap = 0;
    let n = 0;
    let over50 = 0;
    for (const t of [...answers.filter((a) => a >= from && a <= to), to]) {
      gap = Math.max(gap, t - prev);
      if (t - prev > 50) over50 += 1;
      prev = t;
      n += 1;
    }
    return { gap, answered: n - 1, over50 };
  };

  const idleFrom = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const idle = maxGap(idleFrom, performance.now());
  const idleLoad = load();

  const reload = async (text: string, event: string) => {
    const before = stdout.length;
    put(text);
    const loadAt = load();
    const from = performance.now();
    server.kill('SIGHUP');
    await until(
      event,
      () => (stdout.slice(before).includes(`"event":"${event}"`) ? true : undefined),
      RELOAD_DEADLINE_MS,
    );
    const loggedAfter = performance.now() - from;
    await new Promise((r) => setTimeout(r, 300));
    const to = performance.now();
    return { ...maxGap(from, to), windowMs: to - from, loggedAfterMs: loggedAfter, load: loadAt };
  };
  const valid = await reload(worldB, 'meridian:gslb:reload');
  const invalid = await reload(broken, 'meridian:gslb:reload-failed');
  clearInterval(timer);

  const f = (x: number) => x.toFixed(1);
  console.log(
    `meridian dns (udp io ${port.io}), queries every ${SEND_EVERY_MS} ms; started in ${startMs} ms`,
  );
  console.log(
    `valid world: ${networks} networks, ${(worldA.length / 1e6).toFixed(2)} MB; broken: ${brokenEntries} bad hostnames, ${(broken.length / 1e6).toFixed(2)} MB`,
  );
  console.log(
    `no reload, ${IDLE_MS / 1000} s: longest gap ${f(idle.gap)} ms, ${idle.over50} gaps > 50 ms, ${idle.answered} answers (load ${idleLoad})`,
  );
  for (const [name, r] of [
    ['valid reload', valid],
    ['broken reload', invalid],
  ] as const) {
    console.log(
      `${name}: longest gap ${f(r.gap)} ms, ${r.over50} gaps > 50 ms, ${r.answered} answers in ${f(r.windowMs)} ms, logged after ${f(r.loggedAfterMs)} ms (load ${r.load})`,
    );
  }
  if (traceGc) {
    const long = stdout.split('\n').filter((l) => l.includes(' ms: ') && /, \d{2,}(\.\d+)? \/ /.test(l));
    console.log(`server GC pauses of 10 ms or more:\n${long.join('\n')}`);
  }
  console.log(
    `sent ${sent}, answered ${answers.length}; machine: ${cpus().length}× ${cpus()[0]?.model ?? '?'}, node ${process.version}, load now ${load()}`,
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    client.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
