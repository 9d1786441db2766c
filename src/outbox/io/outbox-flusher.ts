// Drains an Outbox to home: one batch in flight at a time, oldest first; deletes a batch only
// after home acknowledged it; backs off with jitter and opens a circuit while home is away.
import { EventEmitter } from 'node:events';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type Clock, type Random, systemClock, systemRandom } from '../../core/index.js';
import { backoffDelayMs } from '../backoff-delay.js';
import { type BreakerState, CircuitBreaker } from '../circuit-breaker.js';
import type { IngestTransport } from '../ingest-transport.js';
import { encodeIngestBatch } from '../ingest-wire.js';
import {
  type FlusherSettings,
  type FlusherSettingsInput,
  flusherSettingsSchema,
  parseSettings,
} from '../outbox-config.js';
import type { Outbox } from './outbox.js';

export interface OutboxFlusherDeps {
  readonly outbox: Outbox;
  readonly transport: IngestTransport;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Defaults to the outbox's registry. */
  readonly registry?: Registry;
}

const BREAKER_GAUGE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** The background loop that sends the outbox home. `start()`/`stop()`; never throws into callers. */
export class OutboxFlusher extends EventEmitter {
  readonly settings: FlusherSettings;
  readonly #outbox: Outbox;
  readonly #transport: IngestTransport;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #breaker: CircuitBreaker;
  #running = false;
  #idle = false;
  #cancelTimer: (() => void) | null = null;
  #inFlight: Promise<void> | null = null;
  #failures = 0;
  readonly #onCommit = () => this.#wake();
  readonly #m;

  constructor(settings: FlusherSettingsInput, deps: OutboxFlusherDeps) {
    super();
    this.settings = parseSettings('flusher', flusherSettingsSchema, settings);
    this.#outbox = deps.outbox;
    this.#transport = deps.transport;
    this.#clock = deps.clock ?? systemClock;
    this.#random = deps.random ?? systemRandom;
    this.#breaker = new CircuitBreaker(this.settings.breaker);
    const registers = [deps.registry ?? deps.outbox.registry];
    const self = this;
    this.#m = {
      flushed: new Counter({
        name: 'meridian_outbox_flushed_events_total',
        help: 'Events acknowledged by home and deleted from the outbox, by result (stored, duplicate, rejected)',
        labelNames: ['result'],
        registers,
      }),
      batches: new Counter({
        name: 'meridian_outbox_flush_batches_total',
        help: 'Batches sent home, by outcome (ok or the failure reason)',
        labelNames: ['outcome'],
        registers,
      }),
      seconds: new Histogram({
        name: 'meridian_outbox_flush_duration_seconds',
        help: 'Round trip of one batch to home, including home’s commit',
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
        registers,
      }),
      breaker: new Gauge({
        name: 'meridian_outbox_breaker_state',
        help: 'Circuit breaker towards home: 0 closed, 1 half-open, 2 open',
        registers,
        collect() {
          this.set(BREAKER_GAUGE[self.breakerState()]);
        },
      }),
    };
  }

  /** The circuit breaker's state now. */
  breakerState(): BreakerState {
    return this.#breaker.state(this.#clock.monotonic());
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#outbox.on('meridian:outbox:committed', this.#onCommit);
    this.#schedule(0);
  }

  /** Stops scheduling; waits for the batch in flight (its ack is still applied). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#outbox.off('meridian:outbox:committed', this.#onCommit);
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    await this.#inFlight;
  }

  #wake(): void {
    if (this.#running && this.#idle) this.#schedule(this.settings.lingerMs);
  }

  #schedule(ms: number): void {
    this.#cancelTimer?.();
    this.#idle = false;
    this.#cancelTimer = this.#clock.setTimeout(() => {
      this.#cancelTimer = null;
      const run: Promise<void> = this.#tick().finally(() => {
        if (this.#inFlight === run) this.#inFlight = null;
      });
      this.#inFlight = run;
    }, ms);
  }

  async #tick(): Promise<void> {
    try {
      await this.#flushOne();
    } catch (err) {
      // Only a broken outbox database gets here (the transport never throws): report, retry later.
      this.emit('meridian:outbox:flush-failed', { reason: 'outbox-error', detail: (err as Error).message });
      if (this.#running) this.#schedule(this.settings.backoff.maxMs);
    }
  }

  async #flushOne(): Promise<void> {
    if (!this.#running) return;
    const waitMs = this.#breaker.waitMs(this.#clock.monotonic());
    if (waitMs > 0) {
      this.#schedule(waitMs);
      return;
    }
    const batch = this.#outbox.readBatch(this.settings.maxBatchEvents, this.settings.maxBatchBytes);
    if (batch === null) {
      this.#schedule(this.settings.idlePollMs);
      this.#idle = true;
      return;
    }
    const body = encodeIngestBatch(this.#outbox.settings.region, batch.events);
    const started = this.#clock.monotonic();
    const result = await this.#transport.send(body, batch.events.length);
    this.#m.seconds.observe((this.#clock.monotonic() - started) / 1000);
    if (result.ok) {
      this.#outbox.acknowledge(batch, result.ack.rejected);
      this.#m.batches.inc({ outcome: 'ok' });
      this.#m.flushed.inc({ result: 'stored' }, result.ack.stored);
      this.#m.flushed.inc({ result: 'duplicate' }, result.ack.duplicates);
      if (result.ack.rejected.length > 0)
        this.#m.flushed.inc({ result: 'rejected' }, result.ack.rejected.length);
      this.#failures = 0;
      if (this.#breaker.recordSuccess()) this.emit('meridian:outbox:breaker-closed', {});
      this.emit('meridian:outbox:flushed', { events: batch.events.length, ...result.ack });
      if (this.#running) this.#schedule(0);
      return;
    }
    this.#failures++;
    this.#m.batches.inc({ outcome: result.reason });
    const now = this.#clock.monotonic();
    const opened = this.#breaker.recordFailure(now);
    const delayMs = Math.max(
      backoffDelayMs(this.#failures, this.settings.backoff, this.#random),
      this.#breaker.waitMs(now),
    );
    this.emit('meridian:outbox:flush-failed', {
      reason: result.reason,
      detail: result.detail,
      attempt: this.#failures,
      retryInMs: delayMs,
    });
    if (opened) this.emit('meridian:outbox:breaker-open', { failures: this.#failures, retryInMs: delayMs });
    if (this.#running) this.#schedule(delayMs);
  }
}
