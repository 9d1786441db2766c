// Plays a drill timeline against the running world: calls the injected action for each
// event at its time (by the injected clock) and keeps a log that reports mark on charts.
import type { Clock } from '../core/index.js';
import type { DrillEvent, TimelineEntry } from './drill-plan.js';

/** What the scheduler can do to the world; `meridian up` wires these to processes and DNS. */
export type DrillActions = {
  readonly [K in DrillEvent['kind']]: (event: Extract<DrillEvent, { kind: K }>) => void | Promise<void>;
};

/** One event as it happened. */
export interface DrillLogEntry {
  /** Wall time the action was called. */
  readonly atMs: number;
  readonly event: DrillEvent;
  readonly ok: boolean;
  readonly error?: string;
}

/** Schedules a timeline; `start()` arms it, `stop()` cancels what has not fired yet. */
export class DrillScheduler {
  readonly #clock: Clock;
  readonly #actions: DrillActions;
  readonly #timeline: readonly TimelineEntry[];
  readonly #log: DrillLogEntry[] = [];
  readonly #cancels: Array<() => void> = [];
  readonly #onEvent: ((e: DrillLogEntry) => void) | undefined;
  #remaining = 0;
  #done: Array<() => void> = [];
  #started = false;
  readonly #queue: Array<{ entry: TimelineEntry; firedAtMs: number }> = [];
  #pumping = false;

  constructor(
    clock: Clock,
    actions: DrillActions,
    timeline: readonly TimelineEntry[],
    onEvent?: (e: DrillLogEntry) => void,
  ) {
    this.#clock = clock;
    this.#actions = actions;
    this.#timeline = [...timeline].sort((a, b) => a.atMs - b.atMs);
    this.#onEvent = onEvent;
  }

  /** Events that have fired, in order. */
  get log(): readonly DrillLogEntry[] {
    return this.#log;
  }

  /** Events still waiting. */
  get remaining(): number {
    return this.#remaining;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#remaining = this.#timeline.length;
    for (const entry of this.#timeline) {
      this.#cancels.push(
        this.#clock.setTimeout(() => {
          this.#queue.push({ entry, firedAtMs: this.#clock.now() });
          if (!this.#pumping) this.#pump();
        }, entry.atMs),
      );
    }
    if (this.#timeline.length === 0) this.#settle();
  }

  stop(): void {
    for (const cancel of this.#cancels) cancel();
    this.#cancels.length = 0;
    this.#remaining = 0;
    this.#settle();
  }

  /** Resolves once every event has fired (or the scheduler was stopped). */
  whenDone(): Promise<void> {
    if (this.#started && this.#remaining === 0) return Promise.resolve();
    return new Promise((resolve) => this.#done.push(resolve));
  }

  /** Runs queued events one at a time; a synchronous action runs inside its timer. */
  #pump(): void {
    this.#pumping = true;
    for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
      const pending = this.#fire(next.entry, next.firedAtMs);
      if (pending) {
        void pending.then(() => this.#pump());
        return;
      }
    }
    this.#pumping = false;
  }

  /** Calls the action; returns a promise only when the action is asynchronous. */
  #fire(entry: TimelineEntry, atMs: number): Promise<void> | undefined {
    const done = (error?: unknown) => {
      const logEntry: DrillLogEntry =
        error === undefined
          ? { atMs, event: entry.event, ok: true }
          : { atMs, event: entry.event, ok: false, error: (error as Error)?.message ?? String(error) };
      this.#log.push(logEntry);
      this.#onEvent?.(logEntry);
      this.#remaining = Math.max(0, this.#remaining - 1);
      if (this.#remaining === 0) this.#settle();
    };
    try {
      const action = this.#actions[entry.event.kind] as (e: DrillEvent) => void | Promise<void>;
      const pending = action(entry.event);
      if (pending)
        return pending.then(
          () => done(),
          (err: unknown) => done(err ?? 'failed'),
        );
      done();
    } catch (err) {
      done(err ?? 'failed');
    }
    return undefined;
  }

  #settle(): void {
    const waiters = this.#done;
    this.#done = [];
    for (const w of waiters) w();
  }
}
