// `npm run bench:failover:soak`: no false flip under latency jitter. Two HealthMonitors run for
// SOAK_SECONDS (600) against endpoints whose /healthz answers after U(0, timeout/2): one at the
// default settings (jitter ≤ 150 ms), one at the fastest (jitter ≤ 50 ms). Any state change after
// the first `up` is a false flip. Prints probes, failures, duration percentiles and flips.
import { execFileSync } from 'node:child_process';
import { seededRandom } from '../../src/core/index.js';
import { HealthMonitor, MONITOR_EVENTS, type Probe, type StateChangeEvent } from '../../src/monitor/index.js';
import { HttpProbe } from '../../src/monitor/io/index.js';
import { lintWorldText } from '../../src/world/index.js';
import { EndpointControl } from './endpoint-control.js';
import { DEFAULT_SETTINGS, FASTEST_SETTINGS } from './failover-settings.js';
import { benchWorldYaml } from './peers.js';
import { summaryStats } from './summary-stats.js';

const PORT = Number(process.env.SOAK_PORT ?? 18181);
let stopping = false; // probes aborted by stop() at the end are not failures
const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

interface Run {
  label: string;
  address: string;
  jitterMaxMs: number;
  monitor: HealthMonitor;
  durations: number[];
  failures: Map<string, number>;
  changes: StateChangeEvent[];
}

function soakRun(label: string, address: string, settings: typeof DEFAULT_SETTINGS): Run {
  const yaml = benchWorldYaml({ healthPort: PORT, ...settings });
  const world = lintWorldText(yaml).world;
  if (!world) throw new Error('soak world does not lint');
  // Only r1 is watched: point it at this run's endpoint; r2/r3 go to a dead port and are ignored.
  const http = new HttpProbe();
  const run: Run = {
    label,
    address,
    jitterMaxMs: settings.timeoutMs / 2,
    monitor: undefined as unknown as HealthMonitor,
    durations: [],
    failures: new Map(),
    changes: [],
  };
  const probe: Probe = {
    async check(target) {
      if (target.address !== '127.0.1.1') return { ok: true, durationMs: 0 };
      const r = await http.check({ ...target, address });
      if (stopping) return r;
      run.durations.push(r.durationMs);
      if (!r.ok) run.failures.set(r.error ?? '?', (run.failures.get(r.error ?? '?') ?? 0) + 1);
      return r;
    },
  };
  run.monitor = new HealthMonitor({ world, probe, random: seededRandom(address.length) });
  run.monitor.on(MONITOR_EVENTS.stateChange, (e: StateChangeEvent) => {
    if (e.region === 'r1') run.changes.push(e);
  });
  return run;
}

const control = new EndpointControl();
control.start();
const runs = [
  soakRun(`default (interval 500, timeout 300, rise 2, fall 2)`, '127.0.1.1', DEFAULT_SETTINGS),
  soakRun(`fastest (interval 100, timeout 100, rise 2, fall 2)`, '127.0.2.1', FASTEST_SETTINGS),
];
console.log(`soak ${seconds} s; ${load()}`);
try {
  for (const r of runs) await control.set(r.address, PORT, 'ok', r.jitterMaxMs);
  for (const r of runs) r.monitor.start();
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, seconds * 1000)));
    const elapsed = Math.round((Date.now() - started) / 1000);
    console.log(
      `${elapsed} s: ${runs.map((r) => `${r.label.split(' ')[0]}: ${r.durations.length} probes, ${r.changes.length} changes`).join('; ')}`,
    );
  }
} finally {
  stopping = true;
  for (const r of runs) await r.monitor.stop();
  await control.stop();
}
let falseFlips = 0;
for (const r of runs) {
  const flips = r.changes.filter((c) => c.from !== 'unknown');
  falseFlips += flips.length;
  const s = summaryStats(r.durations);
  console.log(
    `${r.label}, jitter U(0, ${r.jitterMaxMs}) ms: ${r.durations.length} probes, failed probes ${JSON.stringify(Object.fromEntries(r.failures))} ("aborted" = hit the monitor's timeout), ` +
      `duration ms p50 ${s.p50.toFixed(1)} p90 ${s.p90.toFixed(1)} max ${s.max.toFixed(1)}; ` +
      `state changes ${r.changes.map((c) => `${c.from}>${c.to}${c.error ? ` (${c.error})` : ''} at ${new Date(c.atMs).toISOString().slice(11, 23)}`).join(', ') || 'none'}; false flips ${flips.length}`,
  );
}
console.log(`${falseFlips === 0 ? 'PASS' : 'FAIL'}: ${falseFlips} false flips in ${seconds} s; ${load()}`);
process.exitCode = falseFlips === 0 ? 0 : 1;
