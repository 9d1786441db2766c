// A fixed-size log-bucketed latency histogram (HDR-like): constant memory, ~2.5 % error.

const MIN_MS = 0.1;
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
/** Buckets cover 0.1 ms … ~10 minutes; larger values land in the last one. */
const BUCKETS = Math.ceil(Math.log(600_000 / MIN_MS) / LOG_GROWTH) + 1;

/** Counts latencies in geometric buckets; quantiles come back within ~2.5 % of the truth. */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS);
  #count = 0;
  #maxMs = 0;

  get count(): number {
    return this.#count;
  }

  get maxMs(): number {
    return this.#maxMs;
  }

  record(ms: number): void {
    if (!(ms >= 0)) return;
    this.#counts[bucketOf(ms)]! += 1;
    this.#count += 1;
    if (ms > this.#maxMs) this.#maxMs = ms;
  }

  /** Adds every count of `other` into this histogram. */
  merge(other: LatencyHistogram): void {
    const theirs = other.#counts;
    for (let i = 0; i < BUCKETS; i++) this.#counts[i]! += theirs[i]!;
    this.#count += other.#count;
    if (other.#maxMs > this.#maxMs) this.#maxMs = other.#maxMs;
  }

  /** The `q`-quantile (0 < q ≤ 1) in ms, or null when empty. Never above the recorded maximum. */
  quantile(q: number): number | null {
    if (this.#count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(bucketValue(i), this.#maxMs);
    }
    return this.#maxMs;
  }
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH) + 1);
}

/** A representative value of bucket i: the geometric middle of its range. */
function bucketValue(i: number): number {
  if (i === 0) return MIN_MS;
  return MIN_MS * GROWTH ** (i - 0.5);
}
