// Token buckets by key in a bounded table: each key may spend `ratePerSecond` requests per
// second with a burst of one second's worth (at least one request). The least recently used
// key is forgotten when the table is full.

export type BucketDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Whole seconds until the bucket holds one token again (at least 1). */
      readonly retryAfterSeconds: number;
    };

interface Bucket {
  tokens: number;
  atMs: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxKeys: number;

  constructor(maxKeys: number) {
    this.#maxKeys = Math.max(1, maxKeys);
  }

  /** Takes one token from `key`'s bucket at `nowMs` (monotonic). */
  take(key: string, ratePerSecond: number, nowMs: number): BucketDecision {
    const capacity = Math.max(1, ratePerSecond);
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key); // re-inserted below: Map order is least recently used first
      bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.atMs) * ratePerSecond) / 1000);
      bucket.atMs = nowMs;
    } else {
      if (this.#buckets.size >= this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
      bucket = { tokens: capacity, atMs: nowMs };
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond)) };
    }
    bucket.tokens -= 1;
    return { ok: true };
  }

  /** How many keys the table holds now. */
  get size(): number {
    return this.#buckets.size;
  }
}
