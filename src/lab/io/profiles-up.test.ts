// The profiles workload under `meridian up` with the real programs: the world file picks it,
// users read their preferences in their nearest region (through Redis), write them (relayed
// home) and read them back with no error; during a home-down drill reads and writes are still
// served, and afterwards home has folded each write exactly once.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeridianError } from '../../core/index.js';
import type { RequestRecord } from '../request-record.js';
import { assertRedisReachable, isolatedLabOptions, type MeridianUp, startMeridianUp } from './meridian-up.js';
import { freePort } from './test-support/free-port.js';
import { reducedWorldText } from './test-support/reduced-world-text.js';
import { LAB_PROGRAMS_BUILT, until } from './test-support/until.js';

const ADDR = { home: '127.0.94.1', eu: '127.0.95.1', af: '127.0.96.1' } as const;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NEAREST: Record<string, string> = { london: 'eu-west-2', 'cape-town': 'af-south-1' };

describe('meridian up: Redis for the profiles workload', () => {
  it('refuses to start without Redis, saying where it looked', async () => {
    const err = await assertRedisReachable('redis://127.0.0.1:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MeridianError);
    expect((err as MeridianError).code).toBe('MERIDIAN_LAB_REDIS_UNREACHABLE');
    expect((err as Error).message).toContain('Redis at redis://127.0.0.1:1 does not answer');
  });

  it('refuses a profiles world before starting anything when Redis does not answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-profiles-noredis-'));
    try {
      const file = join(dir, 'world.yaml');
      writeFileSync(
        file,
        reducedWorldText([`us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: 9 }`], {
          workload: 'profiles',
        }),
      );
      const err = await startMeridianUp({
        worldFile: file,
        ...isolatedLabOptions(dir),
        redisUrl: 'redis://127.0.0.1:1',
        watch: false,
      }).catch((e: unknown) => e);
      expect((err as MeridianError).code).toBe('MERIDIAN_LAB_REDIS_UNREACHABLE');
      // And the single-region picture, which is the links baseline, says it has none for profiles.
      const single = await startMeridianUp({
        worldFile: file,
        ...isolatedLabOptions(dir),
        singleRegion: true,
        watch: false,
      }).catch((e: unknown) => e);
      expect((single as Error).message).toContain('--single-region serves the links baseline');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!LAB_PROGRAMS_BUILT)('meridian up with the profiles workload', () => {
  let dir: string;
  let up: MeridianUp;
  const records: RequestRecord[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-profiles-up-'));
    const file = join(dir, 'world.yaml');
    writeFileSync(
      file,
      reducedWorldText(
        [
          `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: ${await freePort(ADDR.home)} }`,
          `eu-west-2: { cidr: 10.20.0.0/16, address: ${ADDR.eu}, port: ${await freePort(ADDR.eu)} }`,
          `af-south-1: { cidr: 10.30.0.0/16, address: ${ADDR.af}, port: ${await freePort(ADDR.af)} }`,
        ],
        { workload: 'profiles' },
      ),
    );
    up = await startMeridianUp({
      worldFile: file,
      ...isolatedLabOptions(dir),
      redisUrl: REDIS_URL,
      reportLeadMs: 1000,
      reportTailMs: 1000,
      watch: false,
      onRecord: (r) => records.push(r),
    });
  }, 90_000);

  afterAll(async () => {
    await up?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('serves every user from its nearest region: read, write relayed home, read back, no error', async () => {
    const served = await until(
      'journeys from both locations',
      () => {
        const done = records.filter((r) => r.step === 'profile-readback');
        return ['london', 'cape-town'].every((l) => done.filter((r) => r.location === l).length >= 5)
          ? records.slice()
          : undefined;
      },
      30_000,
    );
    expect(served.filter((r) => !r.ok)).toEqual([]);
    for (const step of ['profile-read', 'profile-write', 'profile-readback'] as const) {
      expect(served.some((r) => r.step === step)).toBe(true);
    }
    for (const r of served) expect(r.region, `${r.location} ${r.step}`).toBe(NEAREST[r.location]);
  }, 60_000);

  it('home-down: reads and writes are served while home is away; afterwards each write is at home once', async () => {
    await up.lab.drill({ kind: 'home-down', forMs: 6000 });
    await until('the home-down drill to end', () => (up.lab.drillLog.length >= 2 ? true : undefined), 30_000);
    const down = up.lab.drillLog.find((e) => e.event.kind === 'home-down')!;
    const back = up.lab.drillLog.find((e) => e.event.kind === 'home-up')!;
    expect(down.ok && back.ok).toBe(true);
    const during = records.filter((r) => r.atMs >= down.atMs && r.atMs <= back.atMs);
    expect(during.filter((r) => r.step === 'profile-read').length).toBeGreaterThan(10);
    expect(during.filter((r) => r.step === 'profile-write').length).toBeGreaterThan(10);
    expect(during.filter((r) => !r.ok)).toEqual([]);
    await up.lab.reportsWritten();
    await up.lab.stopUsers();
    const written = records.filter((r) => r.step === 'profile-write' && r.ok).length;
    const stored = await until(
      'every relayed write to reach home',
      async () => {
        const res = await fetch(`${up.homeUrl()}/v1/stats`).catch(() => undefined);
        if (!res?.ok) return undefined;
        const stats = (await res.json()) as { users: number; writes: number };
        return stats.writes >= written ? stats : undefined;
      },
      60_000,
    );
    // One user per journey, one write each: every acknowledged write folded, none twice.
    expect(stored).toEqual({ users: written, writes: written });
  }, 120_000);
});
