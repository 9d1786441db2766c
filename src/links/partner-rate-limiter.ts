// Per-partner token buckets: each partner may spend `rateLimitRps` requests per second in this
// region, with a burst of one second's worth. Memory only; each region limits on its own.
import type { Clock } from '../core/index.js';

interface Bucket {
  tokens: number;
  atMs: number;
}

export class PartnerRateLimiter {
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxPartners: number;

  constructor(clock: Clock, maxPartners = 100_000) {
    this.#clock = clock;
    this.#maxPartners = maxPartners;
  }

  /** Takes one token for `partnerId`; false when its bucket is empty. */
  take(partnerId: string, ratePerSecond: number): boolean {
    const now = this.#clock.monotonic();
    let bucket = this.#buckets.get(partnerId);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxPartners) this.#buckets.clear();
      bucket = { tokens: ratePerSecond, atMs: now };
      this.#buckets.set(partnerId, bucket);
    } else {
      bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((now - bucket.atMs) * ratePerSecond) / 1000);
      bucket.atMs = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
