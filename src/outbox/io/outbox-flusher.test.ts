import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock, seededRandom } from '../../core/index.js';
import type { IngestTransport, SendResult } from '../ingest-transport.js';
import { useTempDirs } from '../test-support/temp-dir.js';
import { Outbox } from './outbox.js';
import { OutboxFlusher } from './outbox-flusher.js';

const tempDir = useTempDirs();

/** A transport whose answers the test scripts; records every body it was given. */
class ScriptedTransport implements IngestTransport {
  readonly bodies: { region: string; events: { key: string; payload: unknown }[] }[] = [];
  answer: (events: number) => SendResult = (n) => ({
    ok: true,
    ack: { stored: n, duplicates: 0, rejected: [] },
  });
  async send(body: string, events: number): Promise<SendResult> {
    this.bodies.push(JSON.parse(body));
    return this.answer(events);
  }
  async close(): Promise<void> {}
}

async function setup(flusherSettings: ConstructorParameters<typeof OutboxFlusher>[0] = {}) {
  const clock = new ManualClock();
  const outbox = new Outbox({ path: join(tempDir(), 'o.db'), region: 'eu-west-2' }, { clock });
  outbox.start();
  const transport = new ScriptedTransport();
  const flusher = new OutboxFlusher(
    {
      idlePollMs: 1000,
      backoff: { baseMs: 100, maxMs: 10_000 },
      breaker: { failureThreshold: 3, openMs: 5000 },
      ...flusherSettings,
    },
    { outbox, transport, clock, random: seededRandom(7) },
  );
  const events: [string, unknown][] = [];
  for (const name of [
    'meridian:outbox:flush-failed',
    'meridian:outbox:breaker-open',
    'meridian:outbox:breaker-closed',
  ]) {
    flusher.on(name, (e) => events.push([name, e]));
  }
  return { clock, outbox, transport, flusher, events };
}

/** Advances the manual clock in small steps until `cond` holds (bounded). */
async function advanceUntil(clock: ManualClock, cond: () => boolean, stepMs = 10, maxSteps = 5000) {
  for (let i = 0; i < maxSteps && !cond(); i++) {
    clock.advance(stepMs);
    await new Promise((r) => setImmediate(r));
  }
  expect(cond()).toBe(true);
}

describe('OutboxFlusher', () => {
  it('sends the backlog in order, in batches, and deletes what home acknowledged', async () => {
    const { clock, outbox, transport, flusher } = await setup({ maxBatchEvents: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => outbox.enqueue('t', { i }, { key: `k${i}` })));
    flusher.start();
    await advanceUntil(clock, () => outbox.stats().backlogEvents === 0);
    expect(transport.bodies.map((b) => b.events.length)).toEqual([4, 4, 2]);
    expect(transport.bodies.flatMap((b) => b.events.map((e) => e.key))).toEqual(
      Array.from({ length: 10 }, (_, i) => `k${i}`),
    );
    expect(transport.bodies[0]?.region).toBe('eu-west-2');
    expect(transport.bodies[0]?.events[1]?.payload).toEqual({ i: 1 });
    await flusher.stop();
    await outbox.stop();
  });

  it('is woken by a commit while idle', async () => {
    const { clock, outbox, transport, flusher } = await setup({ idlePollMs: 1_000_000 });
    flusher.start();
    clock.advance(0);
    await vi.waitFor(() => expect(clock.pending()).toBe(1)); // the idle poll
    await outbox.enqueue('t', 1);
    await advanceUntil(clock, () => transport.bodies.length === 1, 1, 100);
    await flusher.stop();
    await outbox.stop();
  });

  it('lingers after a wake so that later commits ride in the same batch', async () => {
    const { clock, outbox, transport, flusher } = await setup({ idlePollMs: 1_000_000, lingerMs: 50 });
    flusher.start();
    clock.advance(0);
    await vi.waitFor(() => expect(clock.pending()).toBe(1)); // the idle poll
    await outbox.enqueue('t', 1);
    clock.advance(30);
    await new Promise((r) => setImmediate(r));
    expect(transport.bodies).toHaveLength(0); // still lingering
    await outbox.enqueue('t', 2);
    await outbox.enqueue('t', 3);
    await advanceUntil(clock, () => transport.bodies.length === 1, 1, 100);
    expect(transport.bodies[0]!.events.map((e) => e.payload)).toEqual([1, 2, 3]);
    await flusher.stop();
    await outbox.stop();
  });

  it('backs off with jitter, opens the breaker, keeps every event, and drains when home returns', async () => {
    const { clock, outbox, transport, flusher, events } = await setup({ maxBatchEvents: 100 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => outbox.enqueue('t', i)));
    transport.answer = () => ({ ok: false, reason: 'unreachable', detail: 'ECONNREFUSED' });
    flusher.start();
    await advanceUntil(clock, () => flusher.breakerState() === 'open');
    const failures = events
      .filter(([n]) => n === 'meridian:outbox:flush-failed')
      .map(([, e]) => e as { attempt: number; retryInMs: number });
    expect(failures.map((f) => f.attempt)).toEqual([1, 2, 3]);
    // Equal jitter: attempt n waits between half and all of 100 * 2^(n-1), except the breaker's wait.
    expect(failures[0]!.retryInMs).toBeGreaterThanOrEqual(50);
    expect(failures[0]!.retryInMs).toBeLessThanOrEqual(100);
    expect(failures[1]!.retryInMs).toBeGreaterThanOrEqual(100);
    expect(failures[1]!.retryInMs).toBeLessThanOrEqual(200);
    expect(failures[2]!.retryInMs).toBe(5000); // the open breaker dominates
    expect(events.some(([n]) => n === 'meridian:outbox:breaker-open')).toBe(true);

    // While open, nothing is sent.
    const sent = transport.bodies.length;
    clock.advance(4900);
    await new Promise((r) => setImmediate(r));
    expect(transport.bodies.length).toBe(sent);
    expect(outbox.stats().backlogEvents).toBe(5);

    transport.answer = (n) => ({ ok: true, ack: { stored: n, duplicates: 0, rejected: [] } });
    await advanceUntil(clock, () => outbox.stats().backlogEvents === 0);
    expect(flusher.breakerState()).toBe('closed');
    expect(events.some(([n]) => n === 'meridian:outbox:breaker-closed')).toBe(true);
    const m = await outbox.registry.getSingleMetric('meridian_outbox_flush_batches_total')?.get();
    expect(m?.values.find((v) => v.labels.outcome === 'unreachable')?.value).toBe(3);
    await flusher.stop();
    await outbox.stop();
  });

  it('moves events home rejected to the dead-letter table and counts duplicates', async () => {
    const { clock, outbox, transport, flusher } = await setup();
    await Promise.all(['a', 'b', 'c'].map((k) => outbox.enqueue('t', k, { key: k })));
    transport.answer = () => ({
      ok: true,
      ack: { stored: 1, duplicates: 1, rejected: [{ key: 'c', reason: 'too big' }] },
    });
    flusher.start();
    await advanceUntil(clock, () => outbox.stats().backlogEvents === 0);
    expect(outbox.stats().deadLetters).toBe(1);
    const m = await outbox.registry.getSingleMetric('meridian_outbox_flushed_events_total')?.get();
    expect(Object.fromEntries(m!.values.map((v) => [v.labels.result, v.value]))).toEqual({
      stored: 1,
      duplicate: 1,
      rejected: 1,
    });
    await flusher.stop();
    await outbox.stop();
  });

  it('stop() waits for the batch in flight and applies its ack', async () => {
    const { clock, outbox, flusher } = await setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: IngestTransport = {
      async send(_body, n) {
        await gate;
        return { ok: true, ack: { stored: n, duplicates: 0, rejected: [] } };
      },
      async close() {},
    };
    const f2 = new OutboxFlusher(
      {},
      { outbox, transport: slow, clock, random: seededRandom(1), registry: new Registry() },
    );
    await outbox.enqueue('t', 1);
    f2.start();
    clock.advance(0);
    const stopped = f2.stop();
    release();
    await stopped;
    expect(outbox.stats().backlogEvents).toBe(0);
    await flusher.stop();
    await outbox.stop();
  });
});
