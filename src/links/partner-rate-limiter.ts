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
  readonly #capRps: number;

  /** `capRps` bounds every partner's rate in this region (the world file's `limits.partnerRps`). */
  constructor(clock: Clock, options: { capRps?: number; maxPartners?: number } = {}) {
    this.#clock = clock;
    this.#capRps = options.capRps ?? Number.POSITIVE_INFINITY;
    this.#maxPartners = options.maxPartners ?? 100_000;
  }

  /** Takes one token for `partnerId` at min(`ratePerSecond`, cap); false when its bucket is empty. */
  take(partnerId: string, ratePerSecond: number): boolean {
    ratePerSecond = Math.min(ratePerSecond, this.#capRps);
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
