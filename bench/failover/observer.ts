// What a failover trial watches: whether the first region is currently included in the answer.
export interface Observer {
  readonly label: string;
  /** Whether the region is included, as last observed (null before any observation). */
  included(): boolean | null;
  /** Wall time (ms) of the last observed flip of `included`. */
  lastFlipAtMs(): number;
  /** Resolves with the wall time of the first observation with `included() === want`, or null on timeout. */
  waitFor(want: boolean, timeoutMs: number): Promise<number | null>;
  stop(): Promise<void>;
}

export const wallNow = (): number => performance.timeOrigin + performance.now();

/** Shared bookkeeping for observers: record observations, wake waiters. */
export class ObservationLog {
  #included: boolean | null = null;
  #lastFlip = 0;
  #waiters: { want: boolean; resolve: (t: number | null) => void; timer: NodeJS.Timeout }[] = [];

  observe(included: boolean, atMs: number): void {
    if (included !== this.#included) {
      this.#included = included;
      this.#lastFlip = atMs;
    }
    for (const w of this.#waiters.filter((w) => w.want === included)) {
      clearTimeout(w.timer);
      w.resolve(atMs);
    }
    this.#waiters = this.#waiters.filter((w) => w.want !== included);
  }

  included(): boolean | null {
    return this.#included;
  }

  lastFlipAtMs(): number {
    return this.#lastFlip;
  }

  /** Waits for the next observation equal to `want` (a past one does not count). */
  waitFor(want: boolean, timeoutMs: number): Promise<number | null> {
    return new Promise((resolve) => {
      const w = {
        want,
        resolve,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((x) => x !== w);
          resolve(null);
        }, timeoutMs),
      };
      this.#waiters.push(w);
    });
  }
}
