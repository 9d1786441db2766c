// bench/links: session + link creation, Meridian mode vs the baseline, side by side in one run,
// against a home on PostgreSQL; then both with home stopped. Every part is a real process
// (the built CLI). Prints a table; README.md records the figures.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ACME, ADMIN_TOKEN, labRegionArgs, writeLabFiles } from '../../src/region/test-support/lab-world.js';
import {
  eventually,
  type MeridianProcess,
  spawnMeridian,
} from '../../src/region/test-support/spawn-meridian.js';
import { type DelayProxy, startDelayProxy } from './delay-proxy.js';
import { type PacedResult, pacedJourneys } from './paced-journeys.js';

interface Histo {
  average: number;
  mean: number;
  p50: number;
  p99: number;
  total: number;
}
interface Result {
  requests: Histo;
  latency: Histo;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface Ctx {
  sid?: string;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  process.exit(2);
}
const QUICK = Boolean(process.env.CI);
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 10));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
/** Runs alternate Meridian / baseline this many times; the table shows the median run. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const schema = `bench_links_${Math.random().toString(16).slice(2, 10)}`;
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-links-'));
const files = writeLabFiles(dir);
// No per-partner cap in this world, and autocannon's one address may use a partner's whole
// rate: the bench measures the request path, not the limiters.
writeFileSync(
  files.world,
  (await import('node:fs'))
    .readFileSync(files.world, 'utf8')
    .replace(/ partnerRps: \d+ /, ' clientSharePercent: 100 '),
);

const procs: MeridianProcess[] = [];
let home: MeridianProcess | undefined;
let homePort = 0;
/** Every region reaches home through this proxy: no delay at first, then the eu-west-2 ↔ us-west-2 RTT. */
let link: DelayProxy | undefined;
const RTT_MS = 142;

async function startHome(): Promise<void> {
  home = await spawnMeridian(
    [
      'home',
      files.world,
      '--port',
      String(homePort),
      '--data-dir',
      join(dir, 'home'),
      '--escrow',
      join(dir, 'escrow'),
      '--database-url',
      url!,
      '--database-schema',
      schema,
    ],
    { cwd: dir, env: { MERIDIAN_ADMIN_TOKEN: ADMIN_TOKEN } },
  );
  homePort = Number(new URL(home.url).port);
}

async function startRegion(name: string, baseline: boolean): Promise<MeridianProcess> {
  const p = await spawnMeridian(
    [
      ...labRegionArgs({
        world: files.world,
        sessionKeys: files.sessionKeys,
        dir,
        name: name,
        homeUrl: link!.url,
      }),
      '--outbox-sync',
      process.env.BENCH_OUTBOX_SYNC ?? 'normal',
      ...(baseline ? ['--baseline'] : []),
    ],
    { cwd: dir },
  );
  procs.push(p);
  await eventually(`${name} healthy`, async () =>
    (await fetch(`${p.url}/healthz`)).status === 200 ? true : undefined,
  );
  return p;
}

/** Waits until the region's outbox has sent everything home, so one phase's backlog does not load the next. */
async function drained(region: MeridianProcess): Promise<number> {
  const t0 = Date.now();
  await eventually(
    `${region.url} outbox drained`,
    async () => {
      const text = await (await fetch(`${region.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('meridian_outbox_backlog_events'));
      return line && Number(line.split(' ').pop()) === 0 ? true : undefined;
    },
    300_000,
  );
  return Date.now() - t0;
}

/** One journey = POST /v1/sessions, then POST /v1/links with that session. */
function journey(
  target: string,
  options: { seconds: number; connections: number; rate?: number },
): Promise<Result> {
  return autocannon({
    url: target,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: 5,
    requests: [
      {
        method: 'POST',
        path: '/v1/sessions',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ partnerId: 'acme', device: 'bench' }),
        onResponse: (status: number, body: string, context: Ctx) => {
          context.sid = status === 201 ? (JSON.parse(body) as { sessionId: string }).sessionId : 'none';
        },
      },
      {
        method: 'POST',
        path: '/v1/links',
        setupRequest: (req: Record<string, unknown>, context: Ctx) => ({
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Session ${context.sid ?? 'none'}` },
          body: JSON.stringify({ destination: 'https://shop.example/p/42?ref=bench' }),
        }),
      },
    ],
  });
}

/** The run with the median throughput; its p99 is the median of the p99s. */
function median(results: Result[]): Result {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const byRps = [...results].sort((a, b) => a.requests.average - b.requests.average)[
    Math.floor(results.length / 2)
  ]!;
  return {
    ...byRps,
    latency: {
      ...byRps.latency,
      p50: mid(results.map((r) => r.latency.p50)),
      p99: mid(results.map((r) => r.latency.p99)),
    },
  };
}

const row = (label: string, r: Result) => ({
  label,
  rps: Math.round(r.requests.average),
  p50: r.latency.p50,
  p99: r.latency.p99,
  ok: r['2xx'],
  failed: r.non2xx + r.errors + r.timeouts,
});
type Row = ReturnType<typeof row>;
const print = (rows: Row[]) => {
  console.log('| run | req/s | p50 ms | p99 ms | 2xx | failed |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.label} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.failed} |`);
};

try {
  const load = (await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(`outbox-sync: ${process.env.BENCH_OUTBOX_SYNC ?? 'normal'}`);
  console.log(
    `machine: ${(await import('node:os')).cpus().length} cores, load ${load}; ${SECONDS}s per run, ${CONNECTIONS} connections`,
  );
  await startHome();
  link = await startDelayProxy({ host: '127.0.0.1', port: homePort });
  const put = await fetch(`${home!.url}/v1/admin/partners/acme`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...ACME, rateLimitRps: 1_000_000 }),
  });
  if (put.status !== 200) throw new Error(`cannot create the partner: ${put.status} ${await put.text()}`);
  const meridian = await startRegion('eu-west-2', false);
  const baseline = await startRegion('af-south-1', true);
  await journey(meridian.url, { seconds: 1, connections: 4 });
  await journey(baseline.url, { seconds: 1, connections: 4 });

  /** Alternates the two targets ROUNDS times (order flipped each round); median by req/s, p99. */
  const sideBySide = async (options: { seconds: number; connections: number; rate?: number }) => {
    const m: Result[] = [];
    const b: Result[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await drained(meridian);
      if (i % 2 === 0) {
        m.push(await journey(meridian.url, options));
        b.push(await journey(baseline.url, options));
      } else {
        b.push(await journey(baseline.url, options));
        await drained(meridian);
        m.push(await journey(meridian.url, options));
      }
    }
    return { m: median(m), b: median(b) };
  };

  console.log(
    `\n## Throughput (closed loop, ${CONNECTIONS} connections; median of ${ROUNDS} alternating runs)`,
  );
  const max = await sideBySide({ seconds: SECONDS, connections: CONNECTIONS });
  const rows = [row('meridian, max', max.m), row('baseline, max', max.b)];
  print(rows);

  const rate = Math.max(50, Math.floor(max.b.requests.average * 0.5));
  console.log(
    `\n## Latency at the same offered load (${rate} req/s = 50 % of the baseline's maximum, open loop, steady pacing; median of ${ROUNDS} alternating runs)`,
  );
  const pm: PacedResult[] = [];
  const pb: PacedResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? ([meridian, baseline] as const) : ([baseline, meridian] as const);
    for (const target of order)
      (target === meridian ? pm : pb).push(await pacedJourneys(target.url, rate / 2, SECONDS));
  }
  const pmed = (xs: PacedResult[]) => {
    const mid = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    return {
      ...xs[0]!,
      p50: mid(xs.map((x) => x.p50)),
      p99: mid(xs.map((x) => x.p99)),
      ok: mid(xs.map((x) => x.ok)),
      failed: mid(xs.map((x) => x.failed)),
    };
  };
  const fm = pmed(pm);
  const fb = pmed(pb);
  console.log('| run | offered req/s | p50 ms | p99 ms | 2xx | failed |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, r] of [
    ['meridian', fm],
    ['baseline', fb],
  ] as const) {
    console.log(`| ${label} | ${r.offeredRps} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.failed} |`);
  }
  console.log(
    `per run p99 (ms): meridian ${pm.map((x) => x.p99).join(', ')}; baseline ${pb.map((x) => x.p99).join(', ')}`,
  );
  const fixedRows = [
    { label: 'meridian', rps: fm.offeredRps, p50: fm.p50, p99: fm.p99, ok: fm.ok, failed: fm.failed },
    { label: 'baseline', rps: fb.offeredRps, p50: fb.p50, p99: fb.p99, ok: fb.ok, failed: fb.failed },
  ];
  const FIXED_CONNECTIONS = Number(process.env.BENCH_FIXED_CONNECTIONS ?? 8);

  const farRate = Math.min(rate, 200);
  let fm2: PacedResult;
  let fb2: PacedResult;
  console.log(
    `\n## Region→home link at the eu-west-2 ↔ us-west-2 RTT (${RTT_MS} ms), ${farRate} req/s offered, open loop (median of ${ROUNDS})`,
  );
  link!.setOneWayMs(RTT_MS / 2);
  const far = { m: [] as PacedResult[], b: [] as PacedResult[] };
  for (let i = 0; i < ROUNDS; i++) {
    await drained(meridian);
    far.m.push(await pacedJourneys(meridian.url, farRate / 2, SECONDS));
    far.b.push(await pacedJourneys(baseline.url, farRate / 2, SECONDS));
  }
  fm2 = pmed(far.m);
  fb2 = pmed(far.b);
  console.log('| run | offered req/s | p50 ms | p99 ms | 2xx | failed |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, r] of [
    ['meridian', fm2],
    ['baseline', fb2],
  ] as const) {
    console.log(`| ${label} | ${r.offeredRps} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.failed} |`);
  }
  link!.setOneWayMs(0);

  console.log(`\n## Home stopped (SIGTERM), closed loop, ${FIXED_CONNECTIONS} connections`);
  await home!.stop();
  const outSeconds = Math.max(2, Math.floor(SECONDS / 2));
  const mOut = await journey(meridian.url, { seconds: outSeconds, connections: FIXED_CONNECTIONS });
  const bOut = await journey(baseline.url, { seconds: outSeconds, connections: FIXED_CONNECTIONS });
  const outRows = [row('meridian, home down', mOut), row('baseline, home down', bOut)];
  print(outRows);
  const pct = (r: Row) => ((100 * r.ok) / Math.max(1, r.ok + r.failed)).toFixed(1);
  console.log(`\nsuccess with home down: meridian ${pct(outRows[0]!)} %, baseline ${pct(outRows[1]!)} %`);
  console.log(
    `ratios: throughput ${(rows[0]!.rps / Math.max(1, rows[1]!.rps)).toFixed(2)}x (target >= 3), ` +
      `p99 at ${rate} req/s offered: ${(fixedRows[0]!.p99 / Math.max(0.1, fixedRows[1]!.p99)).toFixed(3)} of the baseline's (target <= 0.333); ` +
      `with the ${RTT_MS} ms home link: ${(fm2.p99 / Math.max(0.1, fb2.p99)).toFixed(3)}`,
  );
} finally {
  await Promise.all([...procs, home].map((p) => p?.stop('SIGKILL')));
  await link?.close();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.end();
  rmSync(dir, { recursive: true, force: true });
}
