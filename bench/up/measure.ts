// The figures of docs/results.md: `meridian up` on the default world, measured with its own
// users. Multi-region steady state, home-down for HOME_DOWN_S seconds (links served, then
// exactly-once at home), region-down (failed share, for how long, until no answer names the
// dead region), rollout shares over many distinct clients, then the single-region baseline.
// Run: npm run build && npx tsx bench/up/measure.ts  (env STEADY_S, HOME_DOWN_S to shorten)
// WORLD picks the world file and with it the workload: links (writes: links created) or
// profiles (writes: preferences relayed home; reads served in the region during home-down;
// no single-region baseline, which is the links one).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseCidr } from '../../src/core/index.js';
import { loadAwsRttTable } from '../../src/geo/io/index.js';
import {
  type JourneyStep,
  LAB_PARTNER_ID,
  labWorkloadOf,
  type MeridianUp,
  type RequestRecord,
  resolveLabRtts,
  sampleGslbAnswers,
  startMeridianUp,
} from '../../src/lab/index.js';
import { loadWorld } from '../../src/world/io/index.js';

const STEADY_S = Number(process.env.STEADY_S ?? 60);
const HOME_DOWN_S = Number(process.env.HOME_DOWN_S ?? 60);
const WORLD = process.env.WORLD ?? 'examples/world.yaml';
const OUT = process.env.OUT ?? 'meridian-reports/bench-up';
// STEADY_S=0 skips the latency phases (multi and single region); HOME_DOWN_S=0 skips home-down;
// DRILLS=0 skips region-down and rollout; SINGLE=0 skips the single-region baseline.
const DRILLS = process.env.DRILLS !== '0';
const WORKLOAD = labWorkloadOf(loadWorld(WORLD))?.name ?? 'links';
const PROFILES = WORKLOAD === 'profiles';
const SINGLE = process.env.SINGLE !== '0' && !PROFILES;
// The journey's steps, and the one that writes (each acknowledged write must reach home once).
const STEPS: readonly JourneyStep[] = PROFILES
  ? ['profile-read', 'profile-write', 'profile-readback']
  : ['session', 'link', 'redirect'];
const WRITE_STEP: JourneyStep = PROFILES ? 'profile-write' : 'link';
mkdirSync(OUT, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'meridian-measure-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function start(singleRegion: boolean, records: RequestRecord[]): Promise<MeridianUp> {
  return startMeridianUp({
    worldFile: WORLD,
    singleRegion,
    stateDir: join(scratch, singleRegion ? 'single' : 'multi'),
    dnsPort: 0,
    adminPort: 0,
    homePort: 0,
    gatePort: 0,
    reportDir: join(OUT, 'reports'),
    labStateFile: join(scratch, `${singleRegion ? 'single' : 'multi'}.json`),
    reportLeadMs: 5000,
    reportTailMs: 10_000,
    onRecord: (r) => records.push(r),
  });
}

/** p50/p99 per location over ok records in [from, to), with the physical bound. */
function latencyTable(up: MeridianUp, records: RequestRecord[], fromMs: number, toMs: number) {
  const rtts = resolveLabRtts(up.world, loadAwsRttTable());
  const rows: Record<string, unknown>[] = [];
  for (const loc of Object.keys(up.world.lab.users)) {
    const nearest = Math.min(...up.world.regions.map((r) => rtts.user(loc, r.name)?.rttMs ?? Infinity));
    const rs = records.filter((r) => r.location === loc && r.atMs >= fromMs && r.atMs < toMs);
    const ok = rs.filter((r) => r.ok);
    // Round trips this request needed at the physical minimum: the request itself, plus the
    // TCP set-up when it opened a connection, plus DNS when the answer was not cached.
    const trips = (r: RequestRecord) => 1 + (r.connectMs > 0 ? 1 : 0) + (r.dnsMs > 0 ? 1 : 0);
    const bounds = ok.map((r) => nearest * trips(r));
    const p50 = pct(
      ok.map((r) => r.totalMs),
      50,
    );
    const bound50 = pct(bounds, 50);
    rows.push({
      location: loc,
      requests: rs.length,
      errors: rs.length - ok.length,
      nearestRttMs: nearest,
      p50Ms: p50,
      p99Ms: pct(
        ok.map((r) => r.totalMs),
        99,
      ),
      boundP50Ms: bound50,
      boundP99Ms: pct(bounds, 99),
      p50OverBound: p50 / bound50,
      p50ExcessMs: p50 - bound50,
      // Each request against its own bound: the median request's time over its physical minimum.
      p50OfRequestOverOwnBound: pct(
        ok.map((r) => r.totalMs / (nearest * trips(r))),
        50,
      ),
      // p50 per number of round trips needed (1: open connection and cached answer; 2: + TCP
      // set-up; 3: + DNS), with that class's bound.
      byRoundTrips: Object.fromEntries(
        [1, 2, 3].map((k) => {
          const xs = ok.filter((r) => trips(r) === k).map((r) => r.totalMs);
          return [k, { requests: xs.length, p50Ms: pct(xs, 50), boundMs: nearest * k }];
        }),
      ),
      servedBy: [...new Set(ok.map((r) => r.region))].join(','),
      // p50 per step on an open connection with a cached answer: the request alone.
      warmP50ByStepMs: Object.fromEntries(
        STEPS.map((step) => [
          step,
          pct(
            ok.filter((r) => r.step === step && r.connectMs === 0 && r.dnsMs === 0).map((r) => r.totalMs),
            50,
          ),
        ]),
      ),
    });
  }
  return rows;
}

/** The writes home has stored: links created, or relayed preference writes folded. */
async function writesAtHome(up: MeridianUp): Promise<number | undefined> {
  const res = await fetch(`${up.homeUrl()}/v1/stats`).catch(() => undefined);
  if (!res?.ok) return undefined;
  if (PROFILES) return ((await res.json()) as { writes: number }).writes;
  const s = (await res.json()) as { linksCreated: Record<string, Record<string, number>> };
  return Object.values(s.linksCreated[LAB_PARTNER_ID] ?? {}).reduce((a, b) => a + b, 0);
}

const results: Record<string, unknown> = {
  machine: `${cpus().length} cores, Node ${process.version}`,
  world: WORLD,
  workload: WORKLOAD,
  startedAt: new Date().toISOString(),
  loadAtStart: load(),
};

// ---- multi-region ----
{
  const records: RequestRecord[] = [];
  const up = await start(false, records);
  console.log(up.summary().split('\n').slice(0, 6).join('\n'));
  await sleep(5000);
  const t0 = Date.now();
  const eld = monitorEventLoopDelay({ resolution: 1 });
  eld.enable();
  await sleep(STEADY_S * 1000);
  eld.disable();
  if (STEADY_S > 0) {
    results.labEventLoopDelayMs = {
      p50: eld.percentile(50) / 1e6,
      p99: eld.percentile(99) / 1e6,
      max: eld.max / 1e6,
    };
    results.multiRegion = latencyTable(up, records, t0, Date.now());
    results.loadAfterMulti = load();
    console.log('multi-region', results.multiRegion);
  }

  // home-down
  if (HOME_DOWN_S > 0) {
    const nBefore = up.lab.drillLog.length;
    await up.lab.drill({ kind: 'home-down', forMs: HOME_DOWN_S * 1000 });
    while (up.lab.drillLog.length < nBefore + 2) await sleep(200);
    const down = up.lab.drillLog.find((e) => e.event.kind === 'home-down')!;
    const back = up.lab.drillLog.find((e) => e.event.kind === 'home-up')!;
    const inDrill = records.filter((r) => r.atMs >= down.atMs && r.atMs <= back.atMs);
    const during = inDrill.filter((r) => r.step === WRITE_STEP);
    await up.lab.reportsWritten();
    await up.lab.stopUsers();
    const acked = records.filter((r) => r.step === WRITE_STEP && r.ok).length;
    const drainStart = Date.now();
    let stored: number | undefined;
    while (Date.now() - drainStart < 120_000) {
      stored = await writesAtHome(up);
      if (stored !== undefined && stored >= acked) break;
      await sleep(250);
    }
    await sleep(3000); // late duplicates would show up here
    const storedLater = await writesAtHome(up);
    const allDuring = {
      requestsDuring: inDrill.length,
      requestsFailedDuring: inDrill.filter((r) => !r.ok).length,
      failureReasons: Object.fromEntries(
        [...new Set(inDrill.filter((r) => !r.ok).map((r) => r.error))].map((e) => [
          e,
          inDrill.filter((r) => !r.ok && r.error === e).length,
        ]),
      ),
      secondsUntilAllAtHome: (Date.now() - 3000 - drainStart) / 1000,
    };
    results.homeDown = PROFILES
      ? {
          seconds: (back.atMs - down.atMs) / 1000,
          readRequestsDuring: inDrill.filter((r) => r.step !== 'profile-write').length,
          readRequestsServed: inDrill.filter((r) => r.step !== 'profile-write' && r.ok).length,
          writeRequestsDuring: during.length,
          writeRequestsServed: during.filter((r) => r.ok).length,
          writesAckedToUsersWholeRun: acked,
          writesStoredAtHome: stored,
          writesStoredAtHome3sLater: storedLater,
          ...allDuring,
        }
      : {
          seconds: (back.atMs - down.atMs) / 1000,
          linkRequestsDuring: during.length,
          linkRequestsServed: during.filter((r) => r.ok).length,
          linksAckedToUsersWholeRun: acked,
          linksStoredAtHome: stored,
          linksStoredAtHome3sLater: storedLater,
          ...allDuring,
        };
    console.log('home-down', results.homeDown);
    await up.lab.startUsers();
  }

  if (DRILLS) await drills(up, records);
  await up.stop();
}

async function drills(up: MeridianUp, records: RequestRecord[]): Promise<void> {
  // region-down of the region that serves the first network not served by home (on the
  // default world: London's eu-west-2), DNS watched every 50 ms with that network's subnet
  await sleep(5000);
  const links = labWorkloadOf(up.world)!.hostname;
  const target = await pickRegionDownTarget(up, links.fqdn);
  if (!target) {
    console.log(
      'region-down skipped: every network is served by home, so there is no other region to take down',
    );
  } else await regionDown(up, records, links, target.network, target.region);
  await rollouts(up, links.fqdn);
}

/** The first network whose answer names a non-home region first, and that region. */
async function pickRegionDownTarget(
  up: MeridianUp,
  hostname: string,
): Promise<{
  network: MeridianUp['world']['networks'][number];
  region: MeridianUp['world']['regions'][number];
} | null> {
  for (const network of up.world.networks) {
    const s = await sampleGslbAnswers({
      host: '127.0.0.1',
      port: up.dnsPort(),
      hostname,
      subnets: [network.cidr],
    });
    const address = Object.keys(s.first)[0];
    const region = up.world.regions.find((r) => r.address === address);
    if (region && !region.isHome) return { network, region };
  }
  return null;
}

async function regionDown(
  up: MeridianUp,
  records: RequestRecord[],
  links: MeridianUp['world']['hostnames'][number],
  network: MeridianUp['world']['networks'][number],
  region: MeridianUp['world']['regions'][number],
): Promise<void> {
  const from = records.length;
  await up.lab.drill({ kind: 'region-down', region: region.name, forMs: 20_000 });
  let killAt: number | undefined;
  while (!killAt) {
    killAt = up.lab.drillLog.find((e) => e.event.kind === 'region-down')?.atMs;
    await sleep(5);
  }
  let lastNamed = killAt;
  let clean = 0;
  while (Date.now() - killAt < 15_000 && clean < 40) {
    const s = await sampleGslbAnswers({
      host: '127.0.0.1',
      port: up.dnsPort(),
      hostname: links.fqdn,
      subnets: [network.cidr],
    });
    if ((s.anywhere[region.address] ?? 0) > 0) {
      lastNamed = Date.now();
      clean = 0;
    } else clean += 1;
    await sleep(50);
  }
  await up.lab.reportsWritten();
  const after = records.slice(from).filter((r) => r.atMs >= killAt! && r.atMs < killAt! + 20_000);
  const failed = after.filter((r) => !r.ok);
  const lf = after.filter((r) => r.location === network.name);
  results.regionDown = {
    region: region.name,
    network: network.name,
    answersPerQuery: links.answers,
    requestsIn20s: after.length,
    failedIn20s: failed.length,
    failedShare: failed.length / Math.max(1, after.length),
    networkRequests: lf.length,
    networkFailed: lf.filter((r) => !r.ok).length,
    failuresLastedMs: failed.length ? Math.max(...failed.map((r) => r.atMs)) - killAt : 0,
    failureReasons: Object.fromEntries(
      [...new Set(failed.map((r) => r.error))].map((e) => [e, failed.filter((r) => r.error === e).length]),
    ),
    msUntilNoAnswerNamesDeadRegion: lastNamed - killAt,
    detectionPlusTtlMs:
      up.world.regions[0]!.health.fall * up.world.regions[0]!.health.intervalMs +
      up.world.regions[0]!.health.timeoutMs,
  };
  console.log('region-down', results.regionDown);
}

async function rollouts(up: MeridianUp, hostname: string): Promise<void> {
  // rollout of the home region for clients the world does not know (assumed at home):
  // 20 000 distinct /24s, the share whose answer names home first.
  const home = up.world.regions.find((r) => r.isHome)!;
  const subnets = Array.from({ length: 20_000 }, (_, i) => {
    const p = parseCidr(`100.${64 + (i >> 8)}.${i & 255}.0/24`);
    if (!p.ok) throw new Error(p.reason);
    return p.value;
  });
  const distinct = new Set(subnets.map((s) => JSON.stringify(s))).size;
  const rollout: Record<string, unknown>[] = [];
  for (const percent of [0.1, 1, 5, 25, 100]) {
    await up.gslbAdmin.setRollout(home.name, percent);
    const s = await sampleGslbAnswers({
      host: '127.0.0.1',
      port: up.dnsPort(),
      hostname,
      subnets,
    });
    const share = (s.first[home.address] ?? 0) / s.answered;
    rollout.push({ percent, clients: s.answered, failed: s.failed, realisedPercent: share * 100 });
  }
  results.rollout = { region: home.name, distinctClients: distinct, steps: rollout };
  console.log('rollout', results.rollout);
  await up.lab.drill({ kind: 'rollout', region: home.name, steps: [0.1, 1, 5, 25, 100], everyMs: 3000 });
  await up.lab.reportsWritten();
}

// ---- single-region (baseline, home only) ----
if (STEADY_S > 0 && SINGLE) {
  const records: RequestRecord[] = [];
  const up = await start(true, records);
  await sleep(5000);
  const t0 = Date.now();
  await sleep(STEADY_S * 1000);
  results.singleRegion = latencyTable(up, records, t0, Date.now());
  console.log('single-region', results.singleRegion);
  await up.stop();
}
results.loadAtEnd = load();
results.endedAt = new Date().toISOString();
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${join(OUT, 'results.json')}`);
