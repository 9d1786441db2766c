// `npm run bench:failover`: seconds from region r1's /healthz failing to r1 leaving the answer,
// and from its recovery to r1 coming back, over FO_TRIALS trials per system, side by side:
// Meridian's HealthMonitor table (in process), `meridian dns` (when built), gdnsd and PowerDNS,
// the DNS servers polled with an A query every 10 ms. The trial procedure is run-peers.sh's
// (../shared/bench/peers): r1 answered for ≥ 1 s, wait U(0, 2) s, fail r1, wait until it is
// excluded, keep it down 1 + U(0, 2) s, restore it, wait until it is included again.
// Knobs: FO_TRIALS (8), FO_SYSTEMS (comma list, default all available), FO_MODE (refuse |
// status | grey; default refuse = listener closed and connections reset, like a killed process),
// FO_SEED, FO_OUT (results directory).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/core/index.js';
import { lintWorldText } from '../../src/world/index.js';
import { DnsObserver } from './dns-observer.js';
import { EndpointControl } from './endpoint-control.js';
import { DEFAULT_SETTINGS, FASTEST_SETTINGS } from './failover-settings.js';
import type { EndpointMode } from './health-endpoints.js';
import { MonitorObserver } from './monitor-observer.js';
import type { Observer } from './observer.js';
import {
  benchWorldYaml,
  meridianDnsAvailable,
  type RunningPeer,
  startGdnsd,
  startMeridianDns,
  startPdns,
} from './peers.js';
import { type SummaryStats, summaryStats } from './summary-stats.js';

const HEALTH_PORT = 18180;
const PORTS = { meridian: 15400, meridianAdmin: 15410, gdnsd: 15401, pdns: 15402 };
const ADDRESSES = ['127.0.1.1', '127.0.2.1', '127.0.3.1'];
const R1 = '127.0.1.1';
const NAME = 'links.example.test';

type Settings = typeof DEFAULT_SETTINGS;

interface System {
  readonly id: string;
  readonly label: string;
  start(varDir: string): Promise<{ observer: Observer; peer?: RunningPeer }>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const fmtSettings = (s: Settings) =>
  `interval ${s.intervalMs} ms, timeout ${s.timeoutMs}, rise ${s.rise}, fall ${s.fall}`;

function worldFor(settings: Settings) {
  const result = lintWorldText(benchWorldYaml({ healthPort: HEALTH_PORT, ...settings }));
  if (!result.world) throw new Error(`bench world does not lint: ${JSON.stringify(result.diagnostics)}`);
  return result.world;
}

function monitorSystem(id: string, settings: Settings): System {
  const label = `Meridian HealthMonitor table (${fmtSettings(settings)})`;
  return {
    id,
    label,
    async start() {
      const observer = new MonitorObserver(label, worldFor(settings), 'r1');
      await observer.start();
      return { observer };
    },
  };
}

function dnsSystem(id: string, label: string, launch: (varDir: string) => RunningPeer): System {
  return {
    id,
    label,
    async start(varDir) {
      const peer = launch(varDir);
      const observer = new DnsObserver(label, peer.port, NAME, R1);
      await observer.start();
      return { observer, peer };
    },
  };
}

const SYSTEMS: System[] = [
  monitorSystem('monitor-default', DEFAULT_SETTINGS),
  monitorSystem('monitor-fastest', FASTEST_SETTINGS),
  ...[
    ['dns-default', DEFAULT_SETTINGS],
    ['dns-fastest', FASTEST_SETTINGS],
  ].map(([id, s]) => {
    const settings = s as Settings;
    const label = `meridian dns (${fmtSettings(settings)})`;
    return dnsSystem(id as string, label, (varDir) =>
      startMeridianDns({
        port: PORTS.meridian,
        adminPort: PORTS.meridianAdmin,
        varDir,
        worldYaml: benchWorldYaml({ healthPort: HEALTH_PORT, ...settings }),
        label,
      }),
    );
  }),
  dnsSystem('gdnsd', 'gdnsd 3.8 (interval 2 s, timeout 1, up/ok/down thresh 1: its fastest)', (varDir) =>
    startGdnsd({ port: PORTS.gdnsd, healthPort: HEALTH_PORT, varDir, intervalS: 2 }),
  ),
  dnsSystem('pdns', 'PowerDNS 4.7 LUA ifurlup (lua-health-checks-interval 1 s, packet cache off)', (varDir) =>
    startPdns({ port: PORTS.pdns, healthPort: HEALTH_PORT, varDir, intervalS: 1 }),
  ),
];

function available(id: string): boolean {
  if (id.startsWith('dns-')) return meridianDnsAvailable();
  const bin = id === 'gdnsd' ? 'gdnsd' : id === 'pdns' ? 'pdns_server' : null;
  if (!bin) return true;
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Waits until r1 has been included for at least `ms` (bounded by `timeoutMs`). */
async function waitIncludedFor(observer: Observer, ms: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const now = performance.timeOrigin + performance.now();
    if (observer.included() === true && now - observer.lastFlipAtMs() >= ms) return true;
    await sleep(50);
  }
  return false;
}

interface Trial {
  trial: number;
  preDelayS: number;
  detectS: number | null;
  downForS: number;
  recoverS: number | null;
}

async function runTrials(
  observer: Observer,
  control: EndpointControl,
  mode: EndpointMode,
  trials: number,
  seed: number,
  log: (s: string) => void,
): Promise<Trial[]> {
  const rnd = seededRandom(seed);
  const out: Trial[] = [];
  for (let i = 1; i <= trials; i++) {
    if (!(await waitIncludedFor(observer, 1000, 60_000))) {
      log(`  trial ${i}: r1 never became stably included; stopping this system`);
      break;
    }
    const preDelay = rnd.next() * 2000;
    await sleep(preDelay);
    const gone = observer.waitFor(false, 60_000);
    const t0 = await control.set(R1, HEALTH_PORT, mode);
    const tGone = await gone;
    const downFor = 1000 + rnd.next() * 2000;
    await sleep(downFor);
    const back = observer.waitFor(true, 90_000);
    const t1 = await control.set(R1, HEALTH_PORT, 'ok');
    const tBack = await back;
    const trial: Trial = {
      trial: i,
      preDelayS: preDelay / 1000,
      detectS: tGone === null ? null : (tGone - t0) / 1000,
      downForS: downFor / 1000,
      recoverS: tBack === null ? null : (tBack - t1) / 1000,
    };
    out.push(trial);
    log(
      `  trial ${i}: detect ${trial.detectS?.toFixed(3) ?? 'TIMEOUT'} s, recover ${trial.recoverS?.toFixed(3) ?? 'TIMEOUT'} s`,
    );
  }
  return out;
}

const fmt = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(2));
const row = (s: SummaryStats) => `${fmt(s.min)} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.max)}`;

async function main(): Promise<void> {
  const trials = Number(process.env.FO_TRIALS ?? 8);
  const mode = (process.env.FO_MODE ?? 'refuse') as EndpointMode;
  const seed = Number(process.env.FO_SEED ?? 2026);
  const wanted = process.env.FO_SYSTEMS?.split(',').map((s) => s.trim());
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
  const out = process.env.FO_OUT ?? join('/tmp/meridian-failover', stamp);
  mkdirSync(out, { recursive: true });
  const lines: string[] = [];
  const log = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const load = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  log(`# failover bench ${stamp}: mode=${mode} trials=${trials} seed=${seed}; ${load()}`);

  const control = new EndpointControl();
  control.start();
  const results: { id: string; label: string; trials: Trial[]; loadBefore: string; loadAfter: string }[] = [];
  try {
    for (const a of ADDRESSES) await control.set(a, HEALTH_PORT, 'ok');
    for (const sys of SYSTEMS) {
      if (wanted && !wanted.includes(sys.id)) continue;
      if (!available(sys.id)) {
        log(`## ${sys.label}: not available here, skipped`);
        continue;
      }
      log(`## ${sys.label}`);
      const loadBefore = load();
      const { observer, peer } = await sys.start(out);
      try {
        const t = await runTrials(observer, control, mode, trials, seed, log);
        results.push({ id: sys.id, label: sys.label, trials: t, loadBefore, loadAfter: load() });
      } finally {
        await observer.stop();
        await peer?.stop();
      }
    }
  } finally {
    await control.stop();
  }

  log('');
  log(`| system | detect s: min | p50 | p90 | max | recover s: min | p50 | p90 | max | timeouts |`);
  log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const d = r.trials.map((t) => t.detectS).filter((v): v is number => v !== null);
    const u = r.trials.map((t) => t.recoverS).filter((v): v is number => v !== null);
    const timeouts = r.trials.length * 2 - d.length - u.length;
    log(`| ${r.label} | ${row(summaryStats(d))} | ${row(summaryStats(u))} | ${timeouts} |`);
  }
  log(`\n${load()}`);
  writeFileSync(join(out, 'failover.json'), JSON.stringify({ stamp, mode, trials, seed, results }, null, 2));
  writeFileSync(join(out, 'failover.md'), `${lines.join('\n')}\n`);
  console.log(`results in ${out}`);
}

await main();
