import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isMeridianError, ManualClock } from '../../core/index.js';
import { useTempDirs } from '../test-support/temp-dir.js';
import { Outbox } from './outbox.js';

const tempDir = useTempDirs();

function openOutbox(
  settings: Partial<ConstructorParameters<typeof Outbox>[0]> = {},
  clock = new ManualClock(),
) {
  const outbox = new Outbox(
    { path: join(tempDir(), 'outbox.db'), region: 'eu-west-2', ...settings },
    { clock },
  );
  outbox.start();
  return outbox;
}

async function metric(outbox: Outbox, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await outbox.registry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return v?.value ?? 0;
}

/** How many group-commit transactions ran (the histogram's _count). */
async function commitCount(outbox: Outbox): Promise<number> {
  const text = await outbox.registry.getSingleMetricAsString('meridian_outbox_commit_size_events');
  return Number(/_count (\d+)/.exec(text)?.[1]);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('Outbox', () => {
  it('resolves with the key once the event is on disk, and it survives a reopen', async () => {
    const clock = new ManualClock(1_000_000);
    const outbox = openOutbox({}, clock);
    const key = await outbox.enqueue('clicks', { link: 'abc', n: 1 }, { key: 'click-1' });
    expect(key).toBe('click-1');
    const generated = await outbox.enqueue('clicks', { link: 'def' });
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const path = outbox.settings.path;
    await outbox.stop();

    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare('SELECT key, topic, payload, enqueued_at_ms FROM outbox_events ORDER BY seq')
      .all();
    db.close();
    expect(rows).toEqual([
      { key: 'click-1', topic: 'clicks', payload: '{"link":"abc","n":1}', enqueued_at_ms: 1_000_000 },
      { key: generated, topic: 'clicks', payload: '{"link":"def"}', enqueued_at_ms: 1_000_000 },
    ]);

    const again = new Outbox({ path, region: 'eu-west-2' });
    again.start();
    expect(again.stats().backlogEvents).toBe(2);
    expect(again.stats().backlogBytes).toBeGreaterThan(0);
    await again.stop();
  });

  it('group-commits every enqueue of one tick in one transaction', async () => {
    const outbox = openOutbox();
    const keys = await Promise.all(Array.from({ length: 500 }, (_, i) => outbox.enqueue('t', { i })));
    expect(new Set(keys).size).toBe(500);
    expect(await commitCount(outbox)).toBe(1);
    expect(await metric(outbox, 'meridian_outbox_enqueued_events_total')).toBe(500);
    await outbox.stop();
  });

  it('splits a large burst into transactions of at most maxCommitEvents', async () => {
    const outbox = openOutbox({ maxCommitEvents: 100 });
    await Promise.all(Array.from({ length: 250 }, (_, i) => outbox.enqueue('t', i)));
    expect(await commitCount(outbox)).toBe(3);
    expect(outbox.stats().backlogEvents).toBe(250);
    await outbox.stop();
  });

  it('fails enqueue with MERIDIAN_OUTBOX_FULL at the disk cap, counts it, and recovers after a flush', async () => {
    const outbox = openOutbox({ maxBacklogBytes: 2048 });
    const full: unknown[] = [];
    outbox.on('meridian:outbox:full', (e) => full.push(e));
    const payload = 'x'.repeat(400);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => outbox.enqueue('t', payload)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(10);
    const err = results.find((r) => r.status === 'rejected')?.reason;
    expect(isMeridianError(err, 'MERIDIAN_OUTBOX_FULL')).toBe(true);
    expect((err as Error).message).toMatch(/maxBacklogBytes/);
    expect(await metric(outbox, 'meridian_outbox_rejected_events_total', { reason: 'full' })).toBe(10 - ok);
    expect(full.length).toBe(10 - ok);
    expect(outbox.stats().backlogEvents).toBe(ok);
    expect(outbox.stats().backlogBytes).toBeLessThanOrEqual(2048);

    const batch = outbox.readBatch(1000, 1 << 20);
    expect(batch?.events.length).toBe(ok);
    outbox.acknowledge(batch!);
    expect(outbox.stats()).toMatchObject({ backlogEvents: 0, backlogBytes: 0 });
    await expect(outbox.enqueue('t', payload)).resolves.toBeTypeOf('string');
    await outbox.stop();
  });

  it.each([
    ['bad topic', 1, undefined, /topic/],
    ['t', undefined, undefined, /undefined/],
    ['t', 1, 'bad key', /key/],
    ['t', 'x'.repeat(100), undefined, /limit of 64/],
  ])('rejects topic %j payload %j key %j as invalid', async (topic, payload, key, reason) => {
    const outbox = openOutbox({ maxPayloadBytes: 64 });
    const err = await rejection(outbox.enqueue(topic, payload, key === undefined ? {} : { key }));
    expect(isMeridianError(err, 'MERIDIAN_OUTBOX_EVENT_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(reason);
    expect(await metric(outbox, 'meridian_outbox_rejected_events_total', { reason: 'invalid' })).toBe(1);
    await outbox.stop();
  });

  it('commits what is waiting on stop, then rejects with MERIDIAN_OUTBOX_STOPPED', async () => {
    const outbox = openOutbox();
    const pending = outbox.enqueue('t', 1);
    await outbox.stop();
    await expect(pending).resolves.toBeTypeOf('string');
    const err = await rejection(outbox.enqueue('t', 2));
    expect(isMeridianError(err, 'MERIDIAN_OUTBOX_STOPPED')).toBe(true);
  });

  it('reports MERIDIAN_OUTBOX_COMMIT_FAILED when the write fails, and stores nothing of the group', async () => {
    const outbox = openOutbox();
    await outbox.enqueue('t', 1);
    const db = new Database(outbox.settings.path);
    db.exec(
      "CREATE TRIGGER boom BEFORE INSERT ON outbox_events WHEN NEW.payload = '\"fail\"' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    db.close();
    const ok = outbox.enqueue('t', 'ok');
    const bad = outbox.enqueue('t', 'fail');
    const err = await rejection(bad);
    expect(isMeridianError(err, 'MERIDIAN_OUTBOX_COMMIT_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/disk on fire/);
    await expect(ok).rejects.toThrow(/disk on fire/); // same group: all or nothing
    expect(outbox.stats().backlogEvents).toBe(1);
    await outbox.stop();
  });

  it('hands out batches oldest first within the byte budget and dead-letters rejected events', async () => {
    const clock = new ManualClock(5000);
    const outbox = openOutbox({}, clock);
    for (let i = 0; i < 5; i++) {
      await outbox.enqueue('t', { i }, { key: `k${i}` });
      clock.advance(1000);
    }
    expect(outbox.stats().oldestEnqueuedAtMs).toBe(5000);
    const one = outbox.readBatch(10, 1); // always at least one event
    expect(one?.events.map((e) => e.key)).toEqual(['k0']);
    const batch = outbox.readBatch(3, 1 << 20)!;
    expect(batch.events.map((e) => e.key)).toEqual(['k0', 'k1', 'k2']);
    expect(batch.events[1]).toEqual({ key: 'k1', topic: 't', enqueuedAtMs: 6000, payloadJson: '{"i":1}' });
    outbox.acknowledge(batch, [{ key: 'k1', reason: 'home says no' }]);
    expect(outbox.stats()).toMatchObject({ backlogEvents: 2, deadLetters: 1, oldestEnqueuedAtMs: 8000 });
    const age = await outbox.registry.getSingleMetric('meridian_outbox_backlog_age_seconds')?.get();
    expect(age?.values[0]?.value).toBe(2); // now 10 000, oldest 8000
    const gauge = async (name: string) =>
      (await outbox.registry.getSingleMetric(name)?.get())?.values[0]?.value;
    expect(await gauge('meridian_outbox_backlog_events')).toBe(2);
    expect(await gauge('meridian_outbox_backlog_bytes')).toBe(outbox.stats().backlogBytes);
    expect(await gauge('meridian_outbox_dead_lettered_events_total')).toBe(1);
    const db = new Database(outbox.settings.path, { readonly: true });
    expect(db.prepare('SELECT key, reason FROM outbox_dead_letters').all()).toEqual([
      { key: 'k1', reason: 'home says no' },
    ]);
    db.close();
    await outbox.stop();
  });

  it('rejects invalid settings with MERIDIAN_OUTBOX_CONFIG_INVALID naming the field', () => {
    expect(() => new Outbox({ path: 'x.db', region: 'r', maxBacklogBytes: 1 })).toThrow(/maxBacklogBytes/);
    expect(() => new Outbox({ path: 'x.db', region: 'r', typo: 1 } as never)).toThrow(/typo/);
  });
});
