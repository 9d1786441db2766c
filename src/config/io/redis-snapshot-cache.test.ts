import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { ConfigCache } from '../config-cache.js';
import type { ConfigSource, SourceFetch } from '../config-source.js';
import { signSnapshot } from '../sign-snapshot.js';
import { toPrivateKey } from '../signing-keys.js';
import { keys, type Partners, partners, partnersSchema } from '../test-support/fixtures.js';
import { requireRedisUrl } from '../test-support/redis-url.js';
import { RedisSnapshotCache } from './redis-snapshot-cache.js';

const NAME = 'partners';
const priv = toPrivateKey(keys.privateKey);
const runPrefix = `meridian-test:config:${randomBytes(6).toString('hex')}`;

/** A source that serves whatever envelope the test last put in it. */
function settable(): ConfigSource & { set(version: number, data: Partners): void } {
  let current: SourceFetch = { kind: 'empty', detail: 'nothing yet' };
  return {
    name: 'home',
    fetch: async () => current,
    set(version, data) {
      current = { kind: 'snapshot', bytes: signSnapshot({ name: NAME, version, createdAt: 0, data }, priv) };
    },
  };
}

function entries(data: Partners): Iterable<[string, string]> {
  return Object.entries(data.partners).map(([k, v]) => [k, JSON.stringify(v)]);
}

describe('RedisSnapshotCache against the real Redis', () => {
  let redis: Redis;
  let n = 0;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(() => {
    redis = new Redis(requireRedisUrl(), { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  afterAll(async () => {
    if (!redis) return;
    const keysLeft = await redis.keys(`${runPrefix}:*`);
    if (keysLeft.length > 0) await redis.unlink(...keysLeft);
    await redis.quit();
  });

  async function setup(batchSize = 1000) {
    const prefix = `${runPrefix}:${n++}`;
    const clock = new ManualClock();
    const source = settable();
    const cache = new ConfigCache<Partners>({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [source],
      clock,
      jitterRatio: 0,
    });
    const external = new RedisSnapshotCache<Partners>({
      redis,
      keyPrefix: prefix,
      entries,
      source: cache,
      batchSize,
    });
    stops.push(
      () => cache.stop(),
      () => external.stop(),
    );
    return { prefix, clock, source, cache, external };
  }

  it('is not warm until a complete load is switched in, then reads through the pointer', async () => {
    const { prefix, source, cache, external } = await setup(7);
    external.start();
    expect(external.isWarm()).toBe(false);
    expect(await external.get('p1')).toBeNull();

    source.set(1, partners(50));
    const loaded = once(external, 'meridian:config:external-warm');
    await cache.pollNow();
    await loaded;
    expect(external.warmCheck()).toBe(true);
    expect(await redis.get(`${prefix}:ptr`)).toBe('1');
    expect(JSON.parse((await external.get('p49')) ?? 'null')).toEqual(partners(50).partners.p49);
    expect(await external.get('p50')).toBeNull();
  });

  it('switches to a new version atomically and removes the old version', async () => {
    const { prefix, source, cache, external } = await setup(5);
    external.start();
    source.set(1, partners(20));
    await cache.pollNow();
    await external.settled();

    const next = partners(10);
    next.partners.p0 = { name: 'Renamed', plan: 'pro' };
    source.set(2, next);
    // Readers see a whole version: while v2 loads and v1 is removed, p0 never reads as missing.
    const seen = new Set<string | null>();
    let loading = true;
    const reader = (async () => {
      for (let i = 0; i < 10_000 && loading; i++) seen.add(await external.get('p0'));
    })();
    await cache.pollNow();
    await external.settled();
    loading = false;
    await reader;
    expect(seen.has(null)).toBe(false);
    expect(await redis.get(`${prefix}:ptr`)).toBe('2');
    expect(JSON.parse((await external.get('p0')) ?? 'null')).toEqual({ name: 'Renamed', plan: 'pro' });
    expect(await external.get('p15')).toBeNull();
    expect(await redis.keys(`${prefix}:v1:*`)).toEqual([]);
    expect((await redis.keys(`${prefix}:v2:*`)).length).toBe(10);
  });

  it('never moves the pointer backwards when another process already loaded a newer version', async () => {
    const { prefix, source, cache, external } = await setup();
    await redis.set(`${prefix}:ptr`, '5');
    await redis.set(`${prefix}:v5:p0`, '"from v5"');
    external.start();
    source.set(3, partners(2));
    await cache.pollNow();
    await external.settled();
    expect(await redis.get(`${prefix}:ptr`)).toBe('5');
    expect(await external.get('p0')).toBe('"from v5"');
    expect(external.isWarm()).toBe(true);
  });

  it('reports a failed load, stays cold, and retries on its clock', async () => {
    const { source, cache, clock } = await setup();
    const broken = new Redis(requireRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 0 });
    broken.disconnect();
    const bad = new RedisSnapshotCache<Partners>({
      redis: broken,
      keyPrefix: `${runPrefix}:broken`,
      entries,
      source: cache,
      clock,
      retryMs: 1000,
    });
    stops.push(() => bad.stop());
    const failures: unknown[] = [];
    bad.on('meridian:config:external-load-failed', (e) => failures.push(e));
    bad.start();
    source.set(1, partners(1));
    await cache.pollNow();
    await bad.settled();
    expect(failures).toHaveLength(1);
    expect(bad.isWarm()).toBe(false);
    expect(clock.pending()).toBeGreaterThan(0);
  });
});
