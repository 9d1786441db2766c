import { once } from 'node:events';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isMeridianError, ManualClock } from '../core/index.js';
import { ConfigCache, type ConfigEvents, type PollOutcome } from './config-cache.js';
import { ConfigPublisher } from './config-publisher.js';
import type { ConfigSource, SourceFetch } from './config-source.js';
import { encodePointer, pointerKey, snapshotKey } from './escrow-layout.js';
import { escrowSource } from './escrow-source.js';
import type { EscrowStore } from './escrow-store.js';
import { directoryEscrowStore } from './io/directory-escrow-store.js';
import { diskLastGood } from './io/disk-last-good.js';
import { httpSource } from './io/http-source.js';
import { type PublisherServer, startPublisherServer } from './io/publisher-routes.js';
import { s3EscrowStore } from './io/s3-escrow-store.js';
import { signSnapshot } from './sign-snapshot.js';
import { toPrivateKey } from './signing-keys.js';
import type { ConfigSnapshot } from './snapshot.js';
import {
  keys,
  otherKeys,
  type Partners,
  partners,
  partnersSchema,
  tempDir,
  until,
} from './test-support/fixtures.js';
import { type RunningS3, startS3rver } from './test-support/start-s3rver.js';

const NAME = 'partners';
const INTERVAL = 1000;

/** Wraps a store and records what each `get` returned (kind and body bytes), per key. */
function countingStore(
  store: EscrowStore,
): EscrowStore & { reads: { key: string; kind: string; bytes: number }[] } {
  const reads: { key: string; kind: string; bytes: number }[] = [];
  return {
    kind: store.kind,
    reads,
    async get(key, options) {
      const got = await store.get(key, options);
      reads.push({ key, kind: got.kind, bytes: got.kind === 'found' ? got.body.byteLength : 0 });
      return got;
    },
    put: (key, body) => store.put(key, body),
  };
}

function nextPoll(cache: ConfigCache<unknown>): Promise<PollOutcome> {
  return once(cache, 'meridian:config:poll').then(([e]) => e as PollOutcome);
}

function collect<K extends keyof ConfigEvents>(cache: ConfigCache<unknown>, event: K): ConfigEvents[K][] {
  const seen: ConfigEvents[K][] = [];
  cache.on(event, (e: ConfigEvents[K]) => seen.push(e));
  return seen;
}

/** Starts the cache and waits for its first poll. */
async function started(cache: ConfigCache<unknown>): Promise<PollOutcome> {
  const first = nextPoll(cache);
  cache.start();
  return first;
}

/** Fires the next poll timer on the manual clock and waits for that poll. */
async function tick(cache: ConfigCache<unknown>, clock: ManualClock, ms = INTERVAL): Promise<PollOutcome> {
  // The next poll's timer is armed just after the previous poll's event: wait for it first.
  await until(() => clock.pending() > 0);
  const next = nextPoll(cache);
  clock.advance(ms);
  return next;
}

describe.each(['directory', 's3'] as const)('ConfigCache against home and %s escrow', (kind) => {
  let s3: RunningS3 | undefined;
  let n = 0;
  beforeAll(async () => {
    if (kind === 's3') s3 = await startS3rver();
  });
  afterAll(async () => {
    await s3?.close();
  });
  const escrowName = `escrow-${kind}`;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let escrow: EscrowStore;
  let watched: ReturnType<typeof countingStore>;
  let publisher: ConfigPublisher<Partners>;
  let server: PublisherServer;
  let clock: ManualClock;
  let cache: ConfigCache<Partners>;
  let registry: Registry;

  beforeEach(async () => {
    dir = await tempDir();
    escrow =
      kind === 's3' && s3
        ? s3EscrowStore({ client: s3.client(), bucket: s3.bucket, prefix: `run-${n++}/` })
        : directoryEscrowStore(join(dir.path, 'escrow'));
    watched = countingStore(escrow);
    clock = new ManualClock(Date.UTC(2026, 5, 1));
    publisher = new ConfigPublisher<Partners>({ name: NAME, privateKey: keys.privateKey, escrow, clock });
    await publisher.start();
    server = await startPublisherServer({ publishers: [publisher as ConfigPublisher<unknown>] });
    registry = new Registry();
    cache = new ConfigCache<Partners>({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [httpSource({ url: server.urlOf(NAME) }), escrowSource(watched, { name: NAME })],
      pollIntervalMs: INTERVAL,
      coldPollIntervalMs: INTERVAL,
      jitterRatio: 0,
      clock,
      registry,
    });
  });

  afterEach(async () => {
    await cache.stop();
    await server.close();
    await dir.remove();
  });

  it('is cold and throws NOT_WARM until the first snapshot, then serves frozen data', async () => {
    expect(cache.isWarm()).toBe(false);
    expect(cache.warmCheck()).toBe(false);
    expect(() => cache.get()).toThrowError(expect.objectContaining({ code: 'MERIDIAN_CONFIG_NOT_WARM' }));
    const first = await started(cache);
    expect(first.outcome).toBe('failed');
    expect(cache.isWarm()).toBe(false);

    await publisher.publish(partners(2));
    const warm = cache.waitUntilWarm(10_000);
    expect(await tick(cache, clock)).toMatchObject({ outcome: 'accepted', source: 'home', version: 1 });
    await warm;
    expect(cache.warmCheck()).toBe(true);
    const data = cache.get();
    expect(data).toEqual(partners(2));
    expect(Object.isFrozen(data)).toBe(true);
    expect(Object.isFrozen(data.partners.p1)).toBe(true);
    expect(() => {
      (data.partners as Record<string, unknown>).p9 = 1;
    }).toThrow(TypeError);
    expect(await registry.getSingleMetricAsString('meridian_config_warm')).toMatch(/config="partners"} 1/);
  });

  it('polls on the interval, takes a new version, and reports unchanged polls', async () => {
    await publisher.publish(partners(1));
    expect((await started(cache)).outcome).toBe('accepted');
    expect(await tick(cache, clock)).toMatchObject({ outcome: 'unchanged', source: 'home', version: 1 });
    await publisher.publish(partners(5));
    expect(await tick(cache, clock)).toMatchObject({ outcome: 'accepted', source: 'home', version: 2 });
    expect(Object.keys(cache.get().partners)).toHaveLength(5);
    expect(cache.snapshot()?.createdAt).toBe(clock.now() - INTERVAL);
  });

  it('falls back to escrow when home is down, and reports home as failed', async () => {
    await publisher.publish(partners(1));
    await started(cache);
    await server.close();
    const failures = collect(cache, 'meridian:config:source-failed');
    await publisher.publish(partners(3));
    expect(await tick(cache, clock)).toMatchObject({
      outcome: 'accepted',
      source: escrowName,
      version: 2,
    });
    expect(failures.map((f) => f.source)).toEqual(['home']);
    expect(await registry.getSingleMetricAsString('meridian_config_source_failures_total')).toMatch(
      /source="home"} 1/,
    );
    expect(await tick(cache, clock)).toMatchObject({ outcome: 'unchanged', source: escrowName });
  });

  it('waitUntilWarm rejects with WARM_TIMEOUT on the cache clock when nothing arrives', async () => {
    await started(cache);
    const waiting = cache.waitUntilWarm(3 * INTERVAL).catch((e: unknown) => e);
    await tick(cache, clock);
    await tick(cache, clock);
    await tick(cache, clock);
    const err = await waiting;
    expect(isMeridianError(err, 'MERIDIAN_CONFIG_WARM_TIMEOUT')).toBe(true);
  });

  describe('refuses a bad snapshot in escrow and keeps serving the old one', () => {
    const priv = toPrivateKey(keys.privateKey);
    const base = (over: Partial<ConfigSnapshot<unknown>>): ConfigSnapshot<unknown> => ({
      name: NAME,
      version: 7,
      createdAt: Date.UTC(2026, 5, 1),
      data: partners(9),
      ...over,
    });
    const bad: [string, () => Uint8Array, string][] = [
      ['bad signature', () => signSnapshot(base({}), toPrivateKey(otherKeys.privateKey)), 'bad-signature'],
      ['older version', () => signSnapshot(base({ version: 1 }), priv), 'older-version'],
      ['schema-invalid data', () => signSnapshot(base({ data: { partners: 'none' } }), priv), 'schema'],
      ['expired', () => signSnapshot(base({ expiresAt: Date.UTC(2026, 0, 1) }), priv), 'expired'],
      ['corrupt JSON', () => Buffer.from('{"format":"meridian-config/1",'), 'malformed'],
    ];
    it.each(bad)('%s', async (_label, bytes, reason) => {
      await publisher.publish(partners(2));
      await publisher.publish(partners(3));
      await started(cache);
      expect(cache.version()).toBe(2);
      await server.close();
      const key = snapshotKey(NAME, 7);
      await escrow.put(key, bytes());
      await escrow.put(pointerKey(NAME), encodePointer({ name: NAME, version: 7, key }));
      const rejected = collect(cache, 'meridian:config:rejected');

      expect(await tick(cache, clock)).toMatchObject({ outcome: 'rejected', version: 2 });
      expect(rejected).toEqual([expect.objectContaining({ source: escrowName, reason })]);
      expect(cache.version()).toBe(2);
      expect(cache.get()).toEqual(partners(3));
      expect(await registry.getSingleMetricAsString('meridian_config_rejections_total')).toContain(
        `reason="${reason}"`,
      );
      // Reported once; counted on every poll while it stays there; the unchanged object is not
      // read again (a conditional read answers), and it is never swapped in.
      const objectReads = () => watched.reads.filter((r) => r.key === key && r.kind === 'found').length;
      expect(objectReads()).toBe(1);
      expect(await tick(cache, clock)).toMatchObject({ outcome: 'rejected', version: 2 });
      expect(await tick(cache, clock)).toMatchObject({ outcome: 'rejected', version: 2 });
      expect(rejected).toHaveLength(1);
      expect(objectReads()).toBe(1);
      expect(await registry.getSingleMetricAsString('meridian_config_rejections_total')).toMatch(
        new RegExp(`source="${escrowName}",reason="${reason}"} 3`),
      );
      expect(cache.get()).toEqual(partners(3));

      // A fixed object under the same pointer is read again and taken.
      await escrow.put(key, signSnapshot(base({ data: partners(4) }), priv));
      expect(await tick(cache, clock)).toMatchObject({ outcome: 'accepted', version: 7 });
      expect(cache.get()).toEqual(partners(4));
    });
  });

  it('refuses an escrow object over maxBytes without reading it, and does not look at it again', async () => {
    await publisher.publish(partners(1));
    await server.close();
    const small = new ConfigCache<Partners>({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [escrowSource(watched, { name: NAME })],
      maxBytes: 10_000,
      pollIntervalMs: INTERVAL,
      jitterRatio: 0,
      clock,
      registry: new Registry(),
    });
    try {
      expect(await small.pollNow()).toMatchObject({ outcome: 'accepted', version: 1 });
      const key = snapshotKey(NAME, 2);
      const priv = toPrivateKey(keys.privateKey);
      await escrow.put(
        key,
        signSnapshot({ name: NAME, version: 2, createdAt: 0, data: partners(2000) }, priv),
      );
      await escrow.put(pointerKey(NAME), encodePointer({ name: NAME, version: 2, key }));
      const rejected = collect(small, 'meridian:config:rejected');
      expect(await small.pollNow()).toMatchObject({ outcome: 'rejected', version: 1 });
      expect(await small.pollNow()).toMatchObject({ outcome: 'rejected', version: 1 });
      expect(rejected).toEqual([
        expect.objectContaining({ source: escrowName, reason: 'too-large', version: 2 }),
      ]);
      const objectReads = watched.reads.filter((r) => r.key === key);
      expect(objectReads[0]).toMatchObject({ kind: 'too-large', bytes: 0 });
      expect(objectReads.every((r) => r.bytes === 0)).toBe(true);
      expect(small.get()).toEqual(partners(1));
    } finally {
      await small.stop();
    }
  });
});

function scripted(
  name: string,
  answers: (() => SourceFetch | Promise<SourceFetch>)[],
): ConfigSource & { calls: number } {
  const s = {
    name,
    calls: 0,
    async fetch(): Promise<SourceFetch> {
      const answer = answers[Math.min(s.calls, answers.length - 1)]!;
      s.calls++;
      return answer();
    },
  };
  return s;
}

describe('ConfigCache scheduling and failure handling', () => {
  const priv = toPrivateKey(keys.privateKey);
  const v1 = signSnapshot({ name: NAME, version: 1, createdAt: 0, data: partners(1) }, priv);

  it('waits interval × (1 ± jitter) between polls, drawn from the injected Random', async () => {
    for (const [draw, expected] of [
      [0, 800],
      [0.5, 1000],
      [0.75, 1100],
    ] as const) {
      const clock = new ManualClock();
      const source = scripted('home', [
        () => ({ kind: 'snapshot', bytes: v1 }),
        () => ({ kind: 'unchanged' }),
      ]);
      const cache = new ConfigCache({
        name: NAME,
        publicKey: keys.publicKey,
        schema: partnersSchema,
        sources: [source],
        pollIntervalMs: 1000,
        jitterRatio: 0.2,
        clock,
        random: { next: () => draw },
      });
      await started(cache);
      expect(source.calls).toBe(1);
      await until(() => clock.pending() > 0);
      clock.advance(expected - 1);
      expect(source.calls).toBe(1);
      await tick(cache, clock, 1);
      expect(source.calls).toBe(2);
      await cache.stop();
    }
  });

  it('polls at the cold interval until warm', async () => {
    const clock = new ManualClock();
    const source = scripted('home', [
      () => ({ kind: 'failed', detail: 'down' }),
      () => ({ kind: 'snapshot', bytes: v1 }),
    ]);
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [source],
      pollIntervalMs: 60_000,
      coldPollIntervalMs: 500,
      jitterRatio: 0,
      clock,
    });
    await started(cache);
    expect(await tick(cache, clock, 500)).toMatchObject({ outcome: 'accepted' });
    await cache.stop();
  });

  it('turns a throwing source into a reported failure and tries the next source', async () => {
    const clock = new ManualClock();
    const broken: ConfigSource = {
      name: 'home',
      fetch: () => Promise.reject(new Error('socket exploded')),
    };
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [broken, scripted('escrow', [() => ({ kind: 'snapshot', bytes: v1 })])],
      clock,
    });
    const failures = collect(cache, 'meridian:config:source-failed');
    expect(await started(cache)).toMatchObject({ outcome: 'accepted', source: 'escrow' });
    expect(failures).toEqual([{ config: NAME, source: 'home', detail: 'socket exploded' }]);
    await cache.stop();
  });

  it('aborts a source that exceeds sourceTimeoutMs', async () => {
    const clock = new ManualClock();
    const hanging: ConfigSource = {
      name: 'home',
      fetch: ({ signal }) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve({ kind: 'failed', detail: 'aborted' })),
        ),
    };
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [hanging],
      sourceTimeoutMs: 2000,
      clock,
    });
    const poll = nextPoll(cache);
    cache.start();
    clock.advance(2000);
    expect(await poll).toMatchObject({ outcome: 'failed' });
    await cache.stop();
  });

  it('stop() cancels the timer, aborts the poll in flight, closes sources; start() afterwards throws', async () => {
    const clock = new ManualClock();
    let closed = 0;
    let aborted = false;
    const source: ConfigSource = {
      name: 'home',
      fetch: ({ signal }) =>
        new Promise((resolve) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve({ kind: 'failed', detail: 'aborted' });
          }),
        ),
      close: async () => {
        closed++;
      },
    };
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [source],
      clock,
    });
    cache.start();
    await cache.stop();
    expect(aborted).toBe(true);
    expect(closed).toBe(1);
    expect(clock.pending()).toBe(0);
    expect(() => cache.start()).toThrowError(expect.objectContaining({ code: 'MERIDIAN_CONFIG_STOPPED' }));
  });

  it('pollNow() during a poll runs one fresh follow-up poll shared by every caller meanwhile', async () => {
    const releases: (() => void)[] = [];
    let calls = 0;
    const source: ConfigSource = {
      name: 'home',
      fetch: () => {
        calls++;
        return new Promise((resolve) => releases.push(() => resolve({ kind: 'snapshot', bytes: v1 })));
      },
    };
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [source],
    });
    const first = cache.pollNow();
    const second = cache.pollNow();
    expect(cache.pollNow()).toBe(second);
    await until(() => releases.length === 1);
    releases[0]!();
    expect(await first).toMatchObject({ outcome: 'accepted' });
    await until(() => releases.length === 2);
    releases[1]!();
    expect(await second).toMatchObject({ outcome: 'unchanged' });
    expect(calls).toBe(2);
    await cache.stop();
  });

  it('reports a rejected snapshot once per distinct snapshot, and counts every rejection', async () => {
    const clock = new ManualClock();
    const expired = { createdAt: 0, expiresAt: 1 };
    const bad = signSnapshot({ name: NAME, version: 2, ...expired, data: partners(2) }, priv);
    const bad2 = signSnapshot({ name: NAME, version: 3, ...expired, data: partners(3) }, priv);
    const answers: (() => SourceFetch)[] = [() => ({ kind: 'snapshot', bytes: v1 })];
    for (let i = 0; i < 3; i++) answers.push(() => ({ kind: 'snapshot', bytes: bad }));
    answers.push(() => ({ kind: 'snapshot', bytes: bad2 }));
    const registry = new Registry();
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [scripted('home', answers)],
      clock,
      registry,
    });
    const rejected = collect(cache, 'meridian:config:rejected');
    for (let i = 0; i < 6; i++) await cache.pollNow();
    expect(rejected.map((e) => e.version)).toEqual([2, 3]);
    expect(await registry.getSingleMetricAsString('meridian_config_rejections_total')).toMatch(
      /source="home",reason="expired"} 5/,
    );
    await cache.stop();
  });

  it('says so once when it refuses older snapshots N polls in a row, in an event, a gauge and olderStreak()', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const v3 = signSnapshot({ name: NAME, version: 3, createdAt: 0, data: partners(3) }, priv);
    const v4 = signSnapshot({ name: NAME, version: 4, createdAt: 0, data: partners(4) }, priv);
    const answers: (() => SourceFetch)[] = [() => ({ kind: 'snapshot', bytes: v3 })];
    for (let i = 0; i < 5; i++) answers.push(() => ({ kind: 'snapshot', bytes: v1 }));
    answers.push(() => ({ kind: 'snapshot', bytes: v4 }));
    const registry = new Registry();
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [scripted('home', answers)],
      olderStreakAlertPolls: 3,
      clock,
      registry,
    });
    const alerts = collect(cache, 'meridian:config:older-streak');
    const ended = collect(cache, 'meridian:config:older-streak-ended');
    const gauge = async () =>
      /meridian_config_older_streak_polls{config="partners"} (\d+)/.exec(
        await registry.getSingleMetricAsString('meridian_config_older_streak_polls'),
      )?.[1];
    await cache.pollNow();
    const t0 = clock.now();
    for (let i = 1; i <= 2; i++) {
      expect(await cache.pollNow()).toMatchObject({ outcome: 'rejected', version: 3 });
      clock.advance(1000);
    }
    expect(alerts).toEqual([]);
    expect(cache.olderStreak()).toMatchObject({ polls: 2, alerting: false });
    await cache.pollNow();
    clock.advance(1000);
    await cache.pollNow();
    expect(alerts).toEqual([
      { config: NAME, polls: 3, sinceMs: t0, source: 'home', offeredVersion: 1, heldVersion: 3 },
    ]);
    expect(cache.olderStreak()).toEqual({
      polls: 4,
      sinceMs: t0,
      source: 'home',
      offeredVersion: 1,
      alerting: true,
    });
    expect(await gauge()).toBe('4');
    await cache.pollNow(); // the fifth older one
    await cache.pollNow(); // v4 is taken: the streak ends
    expect(cache.version()).toBe(4);
    expect(cache.olderStreak()).toBeUndefined();
    expect(ended).toEqual([{ config: NAME, polls: 5 }]);
    expect(await gauge()).toBe('0');
    expect(alerts).toHaveLength(1);
    await cache.stop();
  });

  it('keeps polling when an event listener throws', async () => {
    const clock = new ManualClock();
    const source = scripted('home', [() => ({ kind: 'snapshot', bytes: v1 }), () => ({ kind: 'unchanged' })]);
    const cache = new ConfigCache({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [source],
      clock,
      jitterRatio: 0,
    });
    cache.on('meridian:config:accepted', () => {
      throw new Error('listener bug');
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(await started(cache)).toMatchObject({ outcome: 'accepted' });
      expect(await tick(cache, clock, 30_000)).toMatchObject({ outcome: 'unchanged' });
      await until(() => warnings.length > 0);
      expect(warnings[0]).toMatch(/listener bug/);
    } finally {
      process.off('warning', onWarning);
      await cache.stop();
    }
  });

  it('refuses bad options with INVALID_OPTION / BAD_KEY', () => {
    const make = (over: object) => () =>
      new ConfigCache({
        name: NAME,
        publicKey: keys.publicKey,
        schema: partnersSchema,
        sources: [],
        ...over,
      });
    expect(make({})).toThrowError(expect.objectContaining({ code: 'MERIDIAN_CONFIG_NO_SOURCES' }));
    const s = [scripted('x', [() => ({ kind: 'unchanged' })])];
    expect(make({ sources: s, pollIntervalMs: 0 })).toThrowError(
      expect.objectContaining({ code: 'MERIDIAN_CONFIG_INVALID_OPTION' }),
    );
    expect(make({ sources: s, jitterRatio: 1 })).toThrowError(
      expect.objectContaining({ code: 'MERIDIAN_CONFIG_INVALID_OPTION' }),
    );
    expect(make({ sources: s, publicKey: keys.privateKey })).toThrowError(
      expect.objectContaining({ code: 'MERIDIAN_CONFIG_BAD_KEY' }),
    );
  });
});

describe('ConfigCache last-good copy on disk', () => {
  const priv = toPrivateKey(keys.privateKey);
  const v3 = signSnapshot({ name: NAME, version: 3, createdAt: 0, data: partners(3) }, priv);
  const down = (): ConfigSource => scripted('home', [() => ({ kind: 'failed', detail: 'home is away' })]);

  async function run(options: {
    sources: ConfigSource[];
    path?: string;
    maxAgeMs?: number;
    clock: ManualClock;
  }) {
    const cache = new ConfigCache<Partners>({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: options.sources,
      clock: options.clock,
      ...(options.path
        ? { lastGood: { store: diskLastGood(options.path), maxAgeMs: options.maxAgeMs ?? 3_600_000 } }
        : {}),
    });
    const rejected = collect(cache, 'meridian:config:rejected');
    const first = await started(cache);
    await cache.stop();
    return { cache, first, rejected };
  }

  it('writes the copy on each new snapshot and refreshes its age after maxAgeMs / 4 of unchanged polls', async () => {
    const dir = await tempDir();
    const path = join(dir.path, 'partners.json');
    const clock = new ManualClock();
    const store = diskLastGood(path);
    const cache = new ConfigCache<Partners>({
      name: NAME,
      publicKey: keys.publicKey,
      schema: partnersSchema,
      sources: [scripted('home', [() => ({ kind: 'snapshot', bytes: v3 }), () => ({ kind: 'unchanged' })])],
      clock,
      lastGood: { store, maxAgeMs: 4000 },
    });
    const t0 = clock.now();
    await cache.pollNow();
    expect((await store.load())?.savedAtMs).toBe(t0);
    clock.advance(999);
    await cache.pollNow();
    expect((await store.load())?.savedAtMs).toBe(t0);
    clock.advance(1);
    await cache.pollNow();
    expect((await store.load())?.savedAtMs).toBe(t0 + 1000);
    expect(Buffer.from((await store.load())?.bytes ?? [])).toEqual(v3);
    await cache.stop();
    await dir.remove();
  });

  it('lets a restarted region come up from disk while home and escrow are away, within maxAgeMs only', async () => {
    const dir = await tempDir();
    const path = join(dir.path, 'last-good', 'partners.json');
    const clock = new ManualClock();
    const live = await run({
      sources: [scripted('home', [() => ({ kind: 'snapshot', bytes: v3 })])],
      path,
      clock,
    });
    expect(live.first.outcome).toBe('accepted');

    const noCopy = await run({ sources: [down()], clock });
    expect(noCopy.cache.isWarm()).toBe(false);

    clock.advance(3_000_000);
    const restarted = await run({ sources: [down()], path, clock });
    expect(restarted.first).toMatchObject({ outcome: 'accepted', source: 'last-good', version: 3 });
    expect(restarted.cache.get()).toEqual(partners(3));

    clock.advance(1_000_000);
    const tooOld = await run({ sources: [down()], path, clock });
    expect(tooOld.cache.isWarm()).toBe(false);
    expect(tooOld.rejected).toEqual([expect.objectContaining({ source: 'last-good', reason: 'stale-copy' })]);
    await dir.remove();
  });
});
