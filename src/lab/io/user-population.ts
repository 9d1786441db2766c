// A population of simulated users at one network: starts `rps` journeys per second (links by
// default, or the profiles journey), bounded in count, time and concurrency, and reports every
// request.
import { type Clock, systemClock } from '../../core/index.js';
import type { RequestRecord } from '../request-record.js';
import { type JourneyContext, runLinksJourney } from './links-journey.js';
import { runProfilesJourney } from './profiles-journey.js';

/** The journeys the lab's users can make: one per workload the lab knows. */
export type LabJourney = 'links' | 'profiles';

export interface UserPopulationOptions extends Omit<JourneyContext, 'onRecord' | 'clock'> {
  /** Journeys started per second. */
  readonly rps: number;
  /** Which journey each user makes (default `links`). */
  readonly journey?: LabJourney;
  /** Tells this run's profiles users apart from an earlier run's (default: the start time). */
  readonly runId?: string;
  /** Stop starting journeys after this many (default unbounded). */
  readonly maxJourneys?: number;
  /** Stop starting journeys after this long (default unbounded). */
  readonly durationMs?: number;
  /** Journeys in flight at once; a tick beyond it is skipped and counted (default 64). */
  readonly maxInFlight?: number;
  readonly onRecord: (r: RequestRecord) => void;
  readonly clock?: Clock;
}

export interface PopulationCounts {
  readonly started: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Ticks skipped because `maxInFlight` journeys were still running. */
  readonly skipped: number;
  readonly inFlight: number;
}

/** `start()` begins the schedule; `stop()` ends it and waits for journeys in flight. */
export class UserPopulation {
  readonly #options: UserPopulationOptions;
  readonly #clock: Clock;
  readonly #inFlight = new Set<Promise<void>>();
  #cancel: (() => void) | undefined;
  #startedAt = 0;
  #ticks = 0;
  #counts = { started: 0, succeeded: 0, failed: 0, skipped: 0 };
  #running = false;
  #runId: string;
  #idle: Array<() => void> = [];

  constructor(options: UserPopulationOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#runId = options.runId ?? this.#clock.now().toString(36);
  }

  get counts(): PopulationCounts {
    return { ...this.#counts, inFlight: this.#inFlight.size };
  }

  /** True once the schedule has ended (limits reached or stopped). */
  get finished(): boolean {
    return !this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startedAt = this.#clock.monotonic();
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#end();
    await Promise.all([...this.#inFlight]);
  }

  /** Resolves when the schedule has ended and no journey is in flight. */
  whenDone(): Promise<void> {
    if (!this.#running && this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #end(): void {
    this.#running = false;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#maybeIdle();
  }

  #maybeIdle(): void {
    if (this.#running || this.#inFlight.size > 0) return;
    const waiters = this.#idle;
    this.#idle = [];
    for (const w of waiters) w();
  }

  #tick(): void {
    if (!this.#running) return;
    const o = this.#options;
    const elapsed = this.#clock.monotonic() - this.#startedAt;
    if (
      (o.maxJourneys !== undefined && this.#counts.started >= o.maxJourneys) ||
      (o.durationMs !== undefined && elapsed >= o.durationMs)
    ) {
      this.#end();
      return;
    }
    if (this.#inFlight.size >= (o.maxInFlight ?? 64)) this.#counts.skipped += 1;
    else this.#launch();
    this.#ticks += 1;
    const interval = 1000 / o.rps;
    const nextAt = this.#startedAt + this.#ticks * interval;
    this.#cancel = this.#clock.setTimeout(() => this.#tick(), Math.max(0, nextAt - this.#clock.monotonic()));
  }

  #launch(): void {
    const id = this.#counts.started;
    this.#counts.started += 1;
    const o = this.#options;
    const run =
      o.journey === 'profiles'
        ? runProfilesJourney({ ...o, clock: this.#clock, runId: this.#runId }, id)
        : runLinksJourney({ ...o, clock: this.#clock }, id);
    const p = run.then((ok) => {
      if (ok) this.#counts.succeeded += 1;
      else this.#counts.failed += 1;
      this.#inFlight.delete(p);
      this.#maybeIdle();
    });
    this.#inFlight.add(p);
  }
}
