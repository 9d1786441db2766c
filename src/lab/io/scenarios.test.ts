// The scenario suite: a reduced world (3 regions, 2 user populations) with the real programs
// (`meridian dns`, `meridian home`, `meridian region` from dist/), short drills, and outcomes
// asserted as counts: rollout shares over many ECS subnets, home-down served and exactly-once,
// region-down without a failed journey and drained from answers; Ctrl-C leaves no process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IpPrefix, parseCidr } from '../../core/index.js';
import { deadRegionAnsweredMs } from '../../health-table/index.js';
import type { RequestRecord } from '../request-record.js';
import {
  isolatedLabOptions,
  LAB_PARTNER_ID,
  MERIDIAN_BIN,
  type MeridianUp,
  startMeridianUp,
} from './meridian-up.js';
import { sampleGslbAnswers } from './sample-gslb-answers.js';
import { freePort } from './test-support/free-port.js';
import { reducedWorldText } from './test-support/reduced-world-text.js';
import { LAB_PROGRAMS_BUILT, until } from './test-support/until.js';

const ADDR = { home: '127.0.71.1', eu: '127.0.72.1', af: '127.0.73.1' } as const;

async function reducedWorld(dir: string): Promise<string> {
  const [home, eu, af] = [await freePort(ADDR.home), await freePort(ADDR.eu), await freePort(ADDR.af)];
  const file = join(dir, 'world.yaml');
  writeFileSync(
    file,
    reducedWorldText([
      `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: ${home} }`,
      `eu-west-2: { cidr: 10.20.0.0/16, address: ${ADDR.eu}, port: ${eu} }`,
      `af-south-1: { cidr: 10.30.0.0/16, address: ${ADDR.af}, port: ${af} }`,
    ]),
  );
  return file;
}

/** `count` distinct /24s inside the /8 `first.0.0.0`. */
function subnets(first: number, count: number): IpPrefix[] {
  return Array.from({ length: count }, (_, i) => {
    const p = parseCidr(`${first}.${(i >> 8) & 255}.${i & 255}.0/24`);
    if (!p.ok) throw new Error(p.reason);
    return p.value;
  });
}

describe.skipIf(!LAB_PROGRAMS_BUILT)('scenarios on a reduced world with the real programs', () => {
  let dir: string;
  let up: MeridianUp;
  const records: RequestRecord[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-scenarios-'));
    const worldFile = await reducedWorld(dir);
    up = await startMeridianUp({
      worldFile,
      ...isolatedLabOptions(dir),
      reportLeadMs: 1000,
      reportTailMs: 1000,
      onRecord: (r) => records.push(r),
    });
  }, 90_000);

  afterAll(async () => {
    await up?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('rollout: the realised share of distinct clients is within ±20 % of each step', async () => {
    const sample = subnets(41, 20_000); // cape-town, nearest af-south-1
    for (const percent of [1, 5, 25, 100]) {
      await up.gslbAdmin.setRollout('af-south-1', percent);
      const s = await sampleGslbAnswers({
        host: '127.0.0.1',
        port: up.dnsPort(),
        hostname: 'links.example.test',
        subnets: sample,
      });
      expect(s.failed).toBe(0);
      const share = (s.first[ADDR.af] ?? 0) / s.answered;
      expect(Math.abs(share - percent / 100), `step ${percent} %: realised ${share}`).toBeLessThanOrEqual(
        0.2 * (percent / 100),
      );
    }
  }, 60_000);

  it('home-down: every link is served while home is away; afterwards each event is at home once', async () => {
    await up.lab.drill({ kind: 'home-down', forMs: 6000 });
    await until('the home-down drill to end', () => (up.lab.drillLog.length >= 2 ? true : undefined), 30_000);
    const down = up.lab.drillLog.find((e) => e.event.kind === 'home-down')!;
    const back = up.lab.drillLog.find((e) => e.event.kind === 'home-up')!;
    expect(down.ok && back.ok).toBe(true);
    const during = records.filter((r) => r.step === 'link' && r.atMs >= down.atMs && r.atMs <= back.atMs);
    expect(during.length).toBeGreaterThan(10);
    expect(during.filter((r) => !r.ok)).toEqual([]);
    await up.lab.reportsWritten();
    await up.lab.stopUsers();
    const linksOk = records.filter((r) => r.step === 'link' && r.ok).length;
    const stored = await until(
      'every link event to reach home',
      async () => {
        const res = await fetch(`${up.homeUrl()}/v1/stats`).catch(() => undefined);
        if (!res?.ok) return undefined;
        const stats = (await res.json()) as { linksCreated: Record<string, Record<string, number>> };
        const n = Object.values(stats.linksCreated[LAB_PARTNER_ID] ?? {}).reduce((a, b) => a + b, 0);
        return n >= linksOk ? n : undefined;
      },
      60_000,
    );
    expect(stored).toBe(linksOk);
    const report = readdirReports(join(dir, 'reports'));
    expect(report.some((f) => f.endsWith('.html'))).toBe(true);
  }, 120_000);

  it('config-source-down --corrupt: users are served and every region keeps its last good config', async () => {
    await up.lab.startUsers();
    const versions = async () =>
      Promise.all(
        up.world.regions.map(async (r) => {
          const res = await fetch(`http://${r.address}:${r.port}/status`);
          return ((await res.json()) as { config: { version: number | null } }).config.version;
        }),
      );
    const good = await versions();
    expect(good.every((v) => typeof v === 'number' && v > 0)).toBe(true);
    const n = up.lab.drillLog.length;
    await up.lab.drill({ kind: 'config-source-down', mode: 'corrupt', forMs: 3000 });
    await until('the drill to end', () => (up.lab.drillLog.length >= n + 2 ? true : undefined), 30_000);
    const [down, back] = up.lab.drillLog.slice(n);
    expect(down!.ok && back!.ok).toBe(true);
    const during = records.filter((r) => r.atMs >= down!.atMs && r.atMs <= back!.atMs);
    expect(during.length).toBeGreaterThan(5);
    expect(during.filter((r) => !r.ok)).toEqual([]);
    expect(await versions()).toEqual(good);
  }, 60_000);

  it('drain: while drained no answer names the region; undrained it is back; no request fails', async () => {
    await up.lab.startUsers();
    const capeTown = subnets(41, 200);
    const ask = () =>
      sampleGslbAnswers({
        host: '127.0.0.1',
        port: up.dnsPort(),
        hostname: 'links.example.test',
        subnets: capeTown,
      });
    const n = up.lab.drillLog.length;
    await up.lab.drill({ kind: 'drain', region: 'af-south-1', forMs: 3000 });
    await until('the drain', () => (up.lab.drillLog.length >= n + 1 ? true : undefined), 10_000);
    const drained = await ask();
    expect(drained.answered).toBe(200);
    expect(drained.anywhere[ADDR.af] ?? 0).toBe(0);
    await until('the undrain', () => (up.lab.drillLog.length >= n + 2 ? true : undefined), 30_000);
    const [down, back] = up.lab.drillLog.slice(n);
    expect(down!.ok && back!.ok).toBe(true);
    expect((await ask()).first[ADDR.af]).toBe(200);
    expect(records.filter((r) => r.atMs >= down!.atMs && r.atMs <= back!.atMs && !r.ok)).toEqual([]);
  }, 60_000);

  it('region-pause (SIGSTOP): no request fails; requests wait or move to the next answer', async () => {
    await up.lab.startUsers();
    const n = up.lab.drillLog.length;
    await up.lab.drill({ kind: 'region-pause', region: 'af-south-1', forMs: 2000 });
    await until('the resume', () => (up.lab.drillLog.length >= n + 2 ? true : undefined), 30_000);
    const [pause, resume] = up.lab.drillLog.slice(n);
    expect(pause!.ok && resume!.ok).toBe(true);
    // Requests sent to the stopped process complete after SIGCONT (within the 5 s request timeout).
    await until(
      'requests after the resume',
      () =>
        records.filter((r) => r.location === 'cape-town' && r.atMs > resume!.atMs + 1000).length > 0
          ? true
          : undefined,
      30_000,
    );
    const window = records.filter((r) => r.atMs >= pause!.atMs && r.atMs <= resume!.atMs + 1000);
    expect(window.length).toBeGreaterThan(5);
    expect(window.filter((r) => !r.ok)).toEqual([]);
  }, 60_000);

  it('region-down: no failed journey with retry on; after detection + TTL no answer names the dead region', async () => {
    await up.lab.startUsers();
    const london = subnets(81, 200);
    const before = await sampleGslbAnswers({
      host: '127.0.0.1',
      port: up.dnsPort(),
      hostname: 'links.example.test',
      subnets: london,
    });
    expect(before.first[ADDR.eu]).toBe(200);
    await until(
      'london users to run',
      () => (records.filter((r) => r.location === 'london').length > 0 ? true : undefined),
      30_000,
    );
    const from = records.length;
    await up.lab.drill({ kind: 'region-down', region: 'eu-west-2' });
    const killed = await until(
      'the kill',
      () => up.lab.drillLog.find((e) => e.event.kind === 'region-down'),
      10_000,
    );
    const world = up.world;
    const eu = world.regions.find((r) => r.name === 'eu-west-2')!;
    const boundMs = deadRegionAnsweredMs(
      eu.health,
      world.hostnames.find((h) => h.name === 'links')!.ttlSeconds,
    );
    // Let the users run through the failover and past detection + TTL.
    await until(
      'london journeys after detection + TTL',
      () =>
        Date.now() > killed.atMs + boundMs &&
        records.slice(from).filter((r) => r.location === 'london' && r.atMs > killed.atMs + boundMs).length >=
          30
          ? true
          : undefined,
      60_000,
    );
    const after = await sampleGslbAnswers({
      host: '127.0.0.1',
      port: up.dnsPort(),
      hostname: 'links.example.test',
      subnets: london,
    });
    expect(after.answered).toBe(200);
    expect(after.anywhere[ADDR.eu] ?? 0).toBe(0);
    const pops = [...up.lab.populations.values()];
    await up.lab.stopUsers();
    const failed = pops.reduce((a, p) => a + p.counts.failed, 0);
    const succeeded = pops.reduce((a, p) => a + p.counts.succeeded, 0);
    expect(succeeded).toBeGreaterThan(0);
    expect(failed).toBe(0);
    const londonAfter = records
      .slice(from)
      .filter((r) => r.location === 'london' && r.atMs > killed.atMs && r.ok);
    expect(londonAfter.length).toBeGreaterThan(0);
    expect(londonAfter.every((r) => r.region !== 'eu-west-2' || r.atMs < killed.atMs + boundMs)).toBe(true);
  }, 120_000);
});

function readdirReports(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe.skipIf(!LAB_PROGRAMS_BUILT)('single region (the baseline, home only)', () => {
  it('serves every user from home, and fails them while home is down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-single-'));
    const records: RequestRecord[] = [];
    let up: MeridianUp | undefined;
    try {
      up = await startMeridianUp({
        worldFile: await reducedWorld(dir),
        singleRegion: true,
        ...isolatedLabOptions(dir),
        reportTailMs: 500,
        onRecord: (r) => records.push(r),
      });
      expect(up.world.regions.map((r) => r.name)).toEqual(['us-west-2']);
      await until(
        '20 served requests',
        () => (records.filter((r) => r.ok).length >= 20 ? true : undefined),
        60_000,
      );
      expect(new Set(records.filter((r) => r.ok).map((r) => r.region))).toEqual(new Set(['us-west-2']));
      await up.lab.drill({ kind: 'home-down', forMs: 3000 });
      await until('the drill to end', () => (up!.lab.drillLog.length >= 2 ? true : undefined), 30_000);
      const [down, back] = up.lab.drillLog;
      const failed = records.filter((r) => !r.ok && r.atMs >= down!.atMs && r.atMs <= back!.atMs);
      expect(failed.length).toBeGreaterThan(0);
    } finally {
      await up?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!LAB_PROGRAMS_BUILT)('Ctrl-C', () => {
  it('stops every process `meridian up` started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-ctrl-c-'));
    try {
      const worldFile = await reducedWorld(dir);
      const child = spawn(
        process.execPath,
        [
          MERIDIAN_BIN,
          'up',
          worldFile,
          '--dns-port',
          '0',
          '--admin-port',
          '0',
          '--home-port',
          '0',
          '--gate-port',
          '0',
          '--no-live',
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await until(
        'meridian up to be ready',
        () => (out.includes('ready: Ctrl-C') ? true : undefined),
        90_000,
      );
      const pids = [...out.matchAll(/ pid (\d+) /g)].map((m) => Number(m[1]));
      expect(pids.length).toBe(5); // gslb, home, 3 regions
      expect(existsSync(join(dir, '.meridian-up.json'))).toBe(true);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
        } catch {
          return false;
        }
        // A zombie waiting for init to reap it is gone for our purposes.
        try {
          return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return false;
        }
      };
      await until('every child to be gone', () => (pids.every((p) => !alive(p)) ? true : undefined), 10_000);
      expect(pids.filter(alive)).toEqual([]);
      expect(existsSync(join(dir, '.meridian-up.json'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
