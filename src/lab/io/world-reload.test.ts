// Region fungibility by reload, with the real programs: a running 2-region world gets a third
// region by rewriting its world file; the region starts, the GSLB reloads, and users near it
// end up served by it. An invalid file is ignored and the running world stays. Counts only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCidr } from '../../core/index.js';
import type { RequestRecord } from '../request-record.js';
import { postDrill, readLabState } from './lab-control-client.js';
import { isolatedLabOptions, type MeridianUp, startMeridianUp } from './meridian-up.js';
import { sampleGslbAnswers } from './sample-gslb-answers.js';
import { freePort } from './test-support/free-port.js';
import { reducedWorldText } from './test-support/reduced-world-text.js';
import { LAB_PROGRAMS_BUILT, until } from './test-support/until.js';
import type { WorldReloadOutcome } from './world-file-reloader.js';

const ADDR = { home: '127.0.81.1', eu: '127.0.82.1', af: '127.0.83.1' } as const;

describe.skipIf(!LAB_PROGRAMS_BUILT)('adding a region by editing the running world file', () => {
  let dir: string;
  let file: string;
  let up: MeridianUp;
  let regions: string[];
  const records: RequestRecord[] = [];
  const reloads: WorldReloadOutcome[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-reload-'));
    file = join(dir, 'world.yaml');
    regions = [
      `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: ${await freePort(ADDR.home)} }`,
      `eu-west-2: { cidr: 10.20.0.0/16, address: ${ADDR.eu}, port: ${await freePort(ADDR.eu)} }`,
    ];
    writeFileSync(file, reducedWorldText(regions));
    up = await startMeridianUp({
      worldFile: file,
      ...isolatedLabOptions(dir),
      onRecord: (r) => records.push(r),
      onReload: (o) => reloads.push(o),
    });
  }, 90_000);

  afterAll(async () => {
    await up?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('an invalid world file is reported and ignored; the running world stays', async () => {
    const hash = up.world.hash;
    writeFileSync(file, `${reducedWorldText(regions)}\nregions: [oops\n`);
    const o = await until('the invalid reload', () => reloads.find((r) => r.kind === 'invalid'), 10_000);
    expect(o.kind).toBe('invalid');
    expect(up.world.hash).toBe(hash);
    expect(up.world.regions.map((r) => r.name)).toEqual(['us-west-2', 'eu-west-2']);
  }, 20_000);

  it('an added region starts, the GSLB names it, and users near it are served by it', async () => {
    const n = records.length;
    const af = `af-south-1: { cidr: 10.30.0.0/16, address: ${ADDR.af}, port: ${await freePort(ADDR.af)} }`;
    writeFileSync(file, reducedWorldText([...regions, af]));
    await until('the reload', () => reloads.find((r) => r.kind === 'applied'), 30_000);
    expect(up.world.regions.map((r) => r.name)).toContain('af-south-1');
    expect(up.lab.supervisor.status('region-af-south-1')?.state).toBe('running');
    const capeTown = Array.from({ length: 20 }, (_, i) => {
      const p = parseCidr(`41.0.${i}.0/24`);
      if (!p.ok) throw new Error(p.reason);
      return p.value;
    });
    const named = await until(
      'a GSLB answer naming af-south-1',
      async () => {
        const s = await sampleGslbAnswers({
          host: '127.0.0.1',
          port: up.dnsPort(),
          hostname: 'links.example.test',
          subnets: capeTown,
        });
        return (s.first[ADDR.af] ?? 0) > 0 ? s : undefined;
      },
      20_000,
    );
    expect(named.first[ADDR.af]).toBeGreaterThan(0);
    const served = await until(
      'ten requests served by af-south-1',
      () => {
        const c = records.slice(n).filter((r) => r.ok && r.region === 'af-south-1').length;
        return c >= 10 ? c : undefined;
      },
      30_000,
    );
    expect(served).toBeGreaterThanOrEqual(10);
  }, 60_000);

  it('home and the regions already running take the new world; drills and the backlog know the new region', async () => {
    const hash = up.world.hash;
    const statusHash = async (url: string) => {
      const res = await fetch(`${url}/status`).catch(() => undefined);
      return res?.ok ? ((await res.json()) as { worldHash?: string }).worldHash : undefined;
    };
    for (const r of up.world.regions) {
      await until(
        `${r.name} reporting the new world`,
        async () => ((await statusHash(`http://${r.address}:${r.port}`)) === hash ? true : undefined),
        10_000,
      );
    }
    await until(
      'home reporting the new world',
      async () => ((await statusHash(up.homeUrl() ?? 'http://home-not-ready')) === hash ? true : undefined),
      10_000,
    );
    await until(
      'a backlog figure for af-south-1',
      () => (up.backlog.backlog()['af-south-1'] !== undefined ? true : undefined),
      10_000,
    );
    const { controlUrl } = readLabState(join(dir, '.meridian-up.json'));
    const typo = await postDrill(controlUrl, ['rollout', 'af-south-2', '--steps', '100', '--every', '1s']);
    expect(typo.ok).toBe(false);
    const drill = await postDrill(controlUrl, ['rollout', 'af-south-1', '--steps', '100', '--every', '1s']);
    expect(drill.ok).toBe(true);
  }, 40_000);

  it('a removed region stops and users are served elsewhere', async () => {
    writeFileSync(file, reducedWorldText(regions));
    await until('the removal', () => (up.world.regions.length === 2 ? true : undefined), 30_000);
    expect(up.lab.supervisor.status('region-af-south-1')?.state).toBe('exited');
    const since = Date.now() + 3000; // detection + TTL
    await until(
      'requests after the removal',
      () => {
        const after = records.filter((r) => r.atMs > since && r.location === 'cape-town');
        return after.length >= 5 ? true : undefined;
      },
      30_000,
    );
    const after = records.filter((r) => r.atMs > since && r.location === 'cape-town');
    expect(after.filter((r) => r.region === 'af-south-1')).toEqual([]);
    expect(after.every((r) => r.ok)).toBe(true);
  }, 60_000);
});
