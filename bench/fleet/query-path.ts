// Issue 12: the query path of `meridian dns --nats` (fleet mode) against standalone, in answered
// queries per server CPU-second (dnsperf on loopback; utime+stime of each server process from
// /proc). Both serve the same world with every region up; the fleet instance also consumes one
// vantage's observations and watches the operator-state bucket meanwhile.
// Run: npx tsx bench/fleet/query-path.ts   (QP_SECONDS per run, default 8; QP_REPS, default 3)
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsCluster, VantageProber } from '../../src/fleet/io/index.js';
import { e2eWorldYaml, HealthEndpoint } from '../../src/gslb/test-support/e2e-world.js';
import { loadWorld } from '../../src/world/io/index.js';

const SECONDS = Number(process.env.QP_SECONDS ?? 8);
const REPS = Number(process.env.QP_REPS ?? 3);
const TICK = 100; // clock ticks per second (_SC_CLK_TCK on Linux)

function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK; // utime, stime
}

function startServer(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/meridian.js', 'dns', ...args, '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving \S+ on [\d.]+:(\d+)/.exec(err);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`meridian dns exited ${code}: ${err}`)));
  });
}

function dnsperf(port: number, queries: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(
      'dnsperf',
      ['-s', '127.0.0.1', '-p', String(port), '-d', queries, '-c', '10', '-q', '100', '-l', String(SECONDS)],
      { timeout: (SECONDS + 30) * 1000 },
      (e, stdout) => {
        const m = /Queries completed:\s+(\d+)/.exec(stdout);
        if (!m) return reject(e ?? new Error(stdout));
        resolve(Number(m[1]));
      },
    );
  });
}

async function main(): Promise<void> {
  const cluster = await startNatsCluster();
  const dir = mkdtempSync(join(tmpdir(), 'meridian-qp-'));
  const health = [1, 2, 3].map((n) => new HealthEndpoint(`127.0.${n}.1`));
  for (const h of health) await h.start();
  const worldPath = join(dir, 'meridian.yaml');
  writeFileSync(
    worldPath,
    e2eWorldYaml(
      health.map((h) => h.port),
      'vantages:\n  v1: { cloudRegion: us-east-1 }\n',
      // the world defaults: standalone probes 3 regions every 500 ms, the fleet consumes one vantage doing so
      '{ path: /healthz, intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 }',
    ),
  );
  const queries = join(dir, 'queries.txt');
  writeFileSync(queries, 'links.example.test A\nlinks-fo.example.test A\n');
  const prober = new VantageProber({
    world: loadWorld(worldPath),
    vantage: 'v1',
    servers: cluster.urls,
    fleet: 'qp',
  });
  prober.start();
  const common = [worldPath, '--listen', '127.0.0.1:0', '--admin', 'off', '--no-watch'];
  const standalone = await startServer(common);
  const fleet = await startServer([...common, '--nats', cluster.urls.join(','), '--fleet', 'qp']);
  await new Promise((r) => setTimeout(r, 3000)); // both see every region up (rise 2 × 500 ms)
  const rows: { server: string; qps: number; perCpuSecond: number }[] = [];
  const load: number[] = [loadavg()[0]!];
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, s] of [
      ['standalone', standalone],
      ['fleet', fleet],
    ] as const) {
      const cpu0 = cpuSeconds(s.child.pid!);
      const answered = await dnsperf(s.port, queries);
      const cpu = cpuSeconds(s.child.pid!) - cpu0;
      rows.push({
        server: name,
        qps: Math.round(answered / SECONDS),
        perCpuSecond: Math.round(answered / cpu),
      });
      load.push(loadavg()[0]!);
    }
  }
  const mean = (server: string) => {
    const r = rows.filter((x) => x.server === server);
    return Math.round(r.reduce((a, x) => a + x.perCpuSecond, 0) / r.length);
  };
  console.log(
    JSON.stringify({
      rows,
      standalone: mean('standalone'),
      fleet: mean('fleet'),
      ratio: Number((mean('fleet') / mean('standalone')).toFixed(3)),
      load1: { min: Math.min(...load), max: Math.max(...load) },
    }),
  );
  standalone.child.kill('SIGTERM');
  fleet.child.kill('SIGTERM');
  await prober.stop();
  for (const h of health) await h.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
