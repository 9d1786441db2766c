// Issue 7, "Measure": drifts injected one at a time into a live lab, each followed by
// `meridian audit` (a separate process, as an operator runs it), which must exit 2 and name
// the drift; before and after them it must exit 0. The lab is `meridian up`'s code
// (startMeridianUp) in this process, on the reduced world of reduced-world.ts.
// Run: npm run bench:audit-drift   (after npm run build). Prints a Markdown table.
import { execSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MERIDIAN_BIN, startMeridianUp } from '../../src/lab/io/meridian-up.js';
import type { ChildSpec } from '../../src/lab/io/process-supervisor.js';
import { ADDR, REGION, REGION_PORT, worldText } from './reduced-world.js';

const HOME_PORT = REGION_PORT + 1; // where the audit looks for home by default (region port + 1)
const EU = 'region-eu-west-2';

interface AuditRun {
  readonly code: number | null;
  readonly out: string;
}

/** `meridian audit FILE --discover 127.0.93.0/24` in a child process (never blocks the lab). */
function audit(file: string): Promise<AuditRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MERIDIAN_BIN, 'audit', file, '--discover', '127.0.93.0/24'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** The audit's drift lines (`~`, `+`, `-`) and its summary line. */
function driftLines(out: string): string[] {
  return out
    .split('\n')
    .filter((l) => /^\s+[~+-] /.test(l) || /^(Drift|No drift|Consistent)/i.test(l))
    .map((l) => l.trim());
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The few `/status` fields the bench waits on. */
interface LiveStatus {
  readonly buildVersion?: string;
  readonly config?: { readonly version?: number | null };
  readonly health?: { readonly intervalMs?: number };
}

async function status(host: string, port: number): Promise<LiveStatus | undefined> {
  const res = await fetch(`http://${host}:${port}/status`, { signal: AbortSignal.timeout(1000) });
  return res.ok ? ((await res.json()) as LiveStatus) : undefined;
}

/** A copy of the spec's args with `--flag value` set (added when absent) and the world file replaced. */
function argsWith(spec: ChildSpec, set: Record<string, string>, worldFile?: string): string[] {
  const args = [...(spec.args ?? [])];
  if (worldFile) args[1] = worldFile;
  for (const [flag, value] of Object.entries(set)) {
    const i = args.indexOf(flag);
    if (i >= 0) args[i + 1] = value;
    else args.push(flag, value);
  }
  return args;
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-drift-'));
const file = join(dir, 'world.yaml');
writeFileSync(file, worldText([REGION.home, REGION.eu]));
const stateDir = join(dir, 'state');
const load = execSync('uptime').toString().trim();
const up = await startMeridianUp({
  worldFile: file,
  stateDir,
  dnsPort: 0,
  adminPort: 0,
  homePort: HOME_PORT,
  gatePort: 0,
  reportDir: join(dir, 'reports'),
  labStateFile: join(dir, '.meridian-up.json'),
  watch: false,
});
const sup = up.lab.supervisor;
const euSpec = sup.spec(EU)!;
const rows: { case: string; injected: string; expect: number; run: AuditRun }[] = [];

/** Runs eu-west-2 from a variant spec until `check` holds, audits, then restores it. */
async function withEuVariant(args: string[], ready: (s: LiveStatus) => boolean): Promise<AuditRun> {
  await sup.stop(EU);
  await sup.start({ ...euSpec, args });
  await until(
    'the variant region',
    async () => {
      const s = await status(ADDR.eu, REGION_PORT);
      return s && ready(s) ? true : undefined;
    },
    30_000,
  );
  return audit(file);
}

async function restoreEu(): Promise<void> {
  await sup.stop(EU);
  await sup.start(euSpec);
  await until(
    'eu-west-2 back',
    async () => ((await status(ADDR.eu, REGION_PORT))?.config?.version ? true : undefined),
    30_000,
  );
}

try {
  rows.push({ case: 'none (baseline)', injected: '-', expect: 0, run: await audit(file) });

  // (a) a region running another build: `meridian region --build-version` (canaries, drills).
  rows.push({
    case: 'a. different build',
    injected: 'eu-west-2 restarted with `--build-version 0.0.0-canary`',
    expect: 2,
    run: await withEuVariant(
      argsWith(euSpec, { '--build-version': '0.0.0-canary' }),
      (s) => s.buildVersion === '0.0.0-canary',
    ),
  });
  await restoreEu();

  // (b) a stale config: eu-west-2 cannot reach home (closed port) and has only a frozen copy of
  // the escrow; home then publishes two new config versions.
  const frozen = join(dir, 'escrow-frozen');
  cpSync(join(stateDir, 'escrow'), frozen, { recursive: true });
  const staleArgs = argsWith(euSpec, { '--home': 'http://127.0.0.1:1', '--escrow': frozen });
  await sup.stop(EU);
  await sup.start({ ...euSpec, args: staleArgs });
  const staleVersion = await until(
    'eu-west-2 on the frozen escrow',
    async () => (await status(ADDR.eu, REGION_PORT))?.config?.version as number | undefined,
    30_000,
  );
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${up.homeUrl()}/v1/admin/publish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${up.adminToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (!res.ok) throw new Error(`publish: ${res.status} ${await res.text()}`);
  }
  await until(
    'home to report the newer config',
    async () => {
      const v = (await status(ADDR.home, HOME_PORT))?.config?.version;
      return typeof v === 'number' && v >= staleVersion + 2 ? true : undefined;
    },
    30_000,
  );
  await until(
    'us-west-2 to follow',
    async () => {
      const v = (await status(ADDR.home, REGION_PORT))?.config?.version;
      return typeof v === 'number' && v >= staleVersion + 2 ? true : undefined;
    },
    30_000,
  );
  rows.push({
    case: 'b. stale config',
    injected: `eu-west-2 restarted with \`--home\` a closed port and a frozen escrow copy (v${staleVersion}); home published 2 versions`,
    expect: 2,
    run: await audit(file),
  });
  await restoreEu();

  // (c) a changed health interval: eu-west-2 runs from a copy of the world with intervalMs 1000.
  const slow = join(dir, 'world-health-1000.yaml');
  writeFileSync(slow, worldText([REGION.home, REGION.eu], { healthIntervalMs: 1000 }));
  rows.push({
    case: 'c. changed health interval',
    injected: 'eu-west-2 restarted from a world copy with `health.intervalMs: 1000` (declared: 250)',
    expect: 2,
    run: await withEuVariant(argsWith(euSpec, {}, slow), (s) => s.health?.intervalMs === 1000),
  });
  await restoreEu();

  // (d) a missing region: kill -9.
  sup.kill(EU, 'SIGKILL');
  await sup.waitForExit(EU);
  rows.push({
    case: 'd. missing region',
    injected: 'eu-west-2 killed with SIGKILL',
    expect: 2,
    run: await audit(file),
  });
  await restoreEu();

  // (e) an extra region: an undeclared `meridian region` on 127.0.93.1, found by --discover.
  const extraWorld = join(dir, 'world-extra.yaml');
  writeFileSync(extraWorld, worldText([REGION.home, REGION.eu, REGION.af]));
  const extra: ChildSpec = {
    ...euSpec,
    name: 'region-undeclared-af-south-1',
    args: argsWith(euSpec, { '--name': 'af-south-1', '--data-dir': join(dir, 'extra') }, extraWorld),
  };
  await sup.start(extra);
  await until('the undeclared region', () => status(ADDR.af, REGION_PORT), 30_000);
  rows.push({
    case: 'e. extra region',
    injected:
      'an undeclared `meridian region --name af-south-1` on 127.0.93.1 (audit `--discover 127.0.93.0/24`)',
    expect: 2,
    run: await audit(file),
  });
  await sup.stop(extra.name);

  rows.push({ case: 'none (after restoring)', injected: '-', expect: 0, run: await audit(file) });
} finally {
  await up.stop();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`load at start: ${load}`);
console.log('\n| case | injected | audit exit (expected) | audit lines reporting it |');
console.log('|---|---|---|---|');
for (const r of rows) {
  const lines = driftLines(r.run.out)
    .map((l) => `\`${l.replace(/\|/g, '\\|')}\``)
    .join('<br>');
  console.log(
    `| ${r.case} | ${r.injected} | ${r.run.code} (${r.expect})${r.run.code === r.expect ? '' : ' **unexpected**'} | ${lines} |`,
  );
}
const bad = rows.filter((r) => r.run.code !== r.expect);
for (const r of bad) console.log(`\n${r.case}: full audit output\n${r.run.out}`);
console.log(`\n${rows.length - bad.length}/${rows.length} cases as expected`);
process.exitCode = bad.length ? 1 : 0;
