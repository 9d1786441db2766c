// The one contract every IngestStore passes (run by sqlite- and postgres-ingest-store tests).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { IngestStore } from '../ingest-store.js';
import type { IngestEvent } from '../ingest-wire.js';

export interface StoreFixture {
  readonly store: IngestStore;
  /** Removes what the fixture created (schema, files). */
  readonly cleanup: () => Promise<void>;
}

const ev = (key: string, payload: unknown = { key }, topic = 'clicks'): IngestEvent => ({
  key,
  topic,
  enqueuedAtMs: 1_700_000_000_000,
  payload,
});

/** Runs the IngestStore contract against stores made by `make(clock)`. */
export function describeIngestStoreContract(
  name: string,
  make: (clock: ManualClock) => Promise<StoreFixture>,
) {
  describe(`IngestStore contract: ${name}`, () => {
    let clock: ManualClock;
    let fixture: StoreFixture;
    let store: IngestStore;

    beforeEach(async () => {
      clock = new ManualClock(1_800_000_000_000);
      fixture = await make(clock);
      store = fixture.store;
      await store.start();
    });

    afterEach(async () => {
      await store.stop();
      await fixture.cleanup();
    });

    it('stores a batch and returns it with every field', async () => {
      const payload = { link: 'abc', tags: ['a', 'é'], n: 1.5, nested: { ok: true, none: null } };
      expect(await store.storeBatch('eu-west-2', [ev('k1', payload), ev('k2', 'text', 'views')])).toEqual({
        stored: 2,
        duplicates: 0,
      });
      const list = await store.list();
      expect(list.map(({ id: _id, ...rest }) => rest)).toEqual([
        {
          key: 'k1',
          region: 'eu-west-2',
          topic: 'clicks',
          enqueuedAtMs: 1_700_000_000_000,
          storedAtMs: 1_800_000_000_000,
          payload,
        },
        {
          key: 'k2',
          region: 'eu-west-2',
          topic: 'views',
          enqueuedAtMs: 1_700_000_000_000,
          storedAtMs: 1_800_000_000_000,
          payload: 'text',
        },
      ]);
      expect(list[0]!.id).toBeLessThan(list[1]!.id);
    });

    it('stores each key exactly once, across batches, regions and within a batch', async () => {
      await store.storeBatch('r1', [ev('a', 1), ev('b', 1)]);
      expect(await store.storeBatch('r2', [ev('b', 2), ev('c', 2), ev('c', 3)])).toEqual({
        stored: 1,
        duplicates: 2,
      });
      expect(await store.count()).toBe(3);
      const list = await store.list();
      expect(list.map((e) => [e.key, e.region, e.payload])).toEqual([
        ['a', 'r1', 1],
        ['b', 'r1', 1], // the first copy wins
        ['c', 'r2', 2],
      ]);
    });

    it('keeps text that looks like escapes, and non-ASCII, exactly', async () => {
      const payload = { s: 'back\\slash \\u0000 "quoted" 😀 é\n', deep: [[[{}]]] };
      await store.storeBatch('r', [ev('esc', payload)]);
      expect((await store.list())[0]?.payload).toEqual(payload);
    });

    it('accepts an empty batch', async () => {
      expect(await store.storeBatch('r', [])).toEqual({ stored: 0, duplicates: 0 });
      expect(await store.count()).toBe(0);
    });

    it('counts and lists by topic and region, and pages with afterId and limit', async () => {
      await store.storeBatch('r1', [ev('a', 1, 'x'), ev('b', 1, 'y'), ev('c', 1, 'x')]);
      await store.storeBatch('r2', [ev('d', 1, 'x')]);
      expect(await store.count({ topic: 'x' })).toBe(3);
      expect(await store.count({ region: 'r1' })).toBe(3);
      expect(await store.count({ topic: 'x', region: 'r2' })).toBe(1);
      const first = await store.list({ topic: 'x', limit: 2 });
      expect(first.map((e) => e.key)).toEqual(['a', 'c']);
      const next = await store.list({ topic: 'x', afterId: first[1]!.id });
      expect(next.map((e) => e.key)).toEqual(['d']);
    });

    it('holds a large batch in one call', async () => {
      const events = Array.from({ length: 3000 }, (_, i) => ev(`big-${i}`, { i }));
      expect(await store.storeBatch('r', events)).toEqual({ stored: 3000, duplicates: 0 });
      expect(await store.storeBatch('r', events)).toEqual({ stored: 0, duplicates: 3000 });
      expect(await store.count()).toBe(3000);
      const last = await store.list({ afterId: (await store.list({ limit: 2999 })).at(-1)!.id });
      expect(last.map((e) => e.payload)).toEqual([{ i: 2999 }]);
    });
  });
}
