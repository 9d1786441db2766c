// A circuit breaker for the flusher: after a run of failures it stops calling home for a
// while, then lets one trial request through (half-open) to decide whether to close again.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before a trial request. */
  readonly openMs: number;
}

/** Pure state machine over monotonic time passed in by the caller. */
export class CircuitBreaker {
  readonly #settings: BreakerSettings;
  #failures = 0;
  #openedAtMs: number | null = null;

  constructor(settings: BreakerSettings) {
    this.#settings = settings;
  }

  /** The state at `nowMs` (open turns half-open once `openMs` has passed). */
  state(nowMs: number): BreakerState {
    if (this.#openedAtMs === null) return 'closed';
    return nowMs - this.#openedAtMs >= this.#settings.openMs ? 'half-open' : 'open';
  }

  /** 0 when a request may go now, else how many ms until the trial request. */
  waitMs(nowMs: number): number {
    if (this.#openedAtMs === null) return 0;
    return Math.max(0, this.#openedAtMs + this.#settings.openMs - nowMs);
  }

  /** Records a success; returns true when this closed an open circuit. */
  recordSuccess(): boolean {
    const wasOpen = this.#openedAtMs !== null;
    this.#failures = 0;
    this.#openedAtMs = null;
    return wasOpen;
  }

  /** Records a failure; returns true when this (re)opened the circuit. */
  recordFailure(nowMs: number): boolean {
    this.#failures++;
    if (this.#openedAtMs !== null) {
      // A failed trial request: open again for a full period.
      this.#openedAtMs = nowMs;
      return true;
    }
    if (this.#failures >= this.#settings.failureThreshold) {
      this.#openedAtMs = nowMs;
      return true;
    }
    return false;
  }
}
