// Aggregates request records into per-location, per-second buckets with bounded memory:
// counts, errors, a latency histogram and the serving-region tally.
import { LatencyHistogram } from './latency-histogram.js';
import type { RequestRecord } from './request-record.js';

/** One location's numbers for one second (or a merged window). */
export interface LocationSecond {
  /** Seconds since the aggregator's origin. */
  readonly second: number;
  readonly requests: number;
  readonly errors: number;
  /** ok / requests, or null with no requests. */
  readonly successRate: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Requests served per region (errors with no region are not counted here). */
  readonly regions: Readonly<Record<string, number>>;
}

interface Bucket {
  requests: number;
  errors: number;
  readonly hist: LatencyHistogram;
  readonly regions: Map<string, number>;
}

export interface StatsAggregatorOptions {
  /** Wall time (ms) of second 0. */
  readonly originMs: number;
  /** Seconds kept per location; older ones are dropped (default 3600). */
  readonly maxSeconds?: number;
}

/** Per-location, per-second statistics of what users saw. Pure: time comes from the records. */
export class StatsAggregator {
  readonly #originMs: number;
  readonly #maxSeconds: number;
  readonly #byLocation = new Map<string, Map<number, Bucket>>();
  readonly #totals = new Map<string, Bucket>();
  #lastSecond = 0;

  constructor(options: StatsAggregatorOptions) {
    this.#originMs = options.originMs;
    this.#maxSeconds = options.maxSeconds ?? 3600;
  }

  get originMs(): number {
    return this.#originMs;
  }

  /** The second a wall time falls in. */
  secondOf(atMs: number): number {
    return Math.floor((atMs - this.#originMs) / 1000);
  }

  /** The latest second any record fell in. */
  get lastSecond(): number {
    return this.#lastSecond;
  }

  record(r: RequestRecord): void {
    const second = this.secondOf(r.atMs);
    if (second < 0) return;
    let seconds = this.#byLocation.get(r.location);
    if (!seconds) {
      seconds = new Map();
      this.#byLocation.set(r.location, seconds);
    }
    let bucket = seconds.get(second);
    if (!bucket && second <= this.#lastSecond - this.#maxSeconds) {
      bucket = newBucket(); // too old to keep per second; still counted in the totals
    } else if (!bucket) {
      bucket = newBucket();
      seconds.set(second, bucket);
      for (const s of seconds.keys()) {
        if (s > second - this.#maxSeconds) break;
        seconds.delete(s);
      }
    }
    if (second > this.#lastSecond) this.#lastSecond = second;
    let total = this.#totals.get(r.location);
    if (!total) {
      total = newBucket();
      this.#totals.set(r.location, total);
    }
    add(bucket, r);
    add(total, r);
  }

  /** Locations seen, sorted. */
  locations(): string[] {
    return [...this.#byLocation.keys()].sort();
  }

  /** Every kept second of one location, in time order (seconds with no record are absent). */
  series(location: string): LocationSecond[] {
    const seconds = this.#byLocation.get(location);
    if (!seconds) return [];
    return [...seconds].sort((a, b) => a[0] - b[0]).map(([second, b]) => summarise(second, b));
  }

  /** The last `seconds` seconds up to and including `endSecond`, merged. */
  window(location: string, endSecond: number, seconds: number): LocationSecond {
    const merged = newBucket();
    const kept = this.#byLocation.get(location);
    for (let s = endSecond - seconds + 1; s <= endSecond; s++) {
      const b = kept?.get(s);
      if (b) mergeInto(merged, b);
    }
    return summarise(endSecond, merged);
  }

  /** The whole run of one location (never dropped). */
  total(location: string): LocationSecond {
    return summarise(this.#lastSecond, this.#totals.get(location) ?? newBucket());
  }

  /** Share of served requests per region over a window of every location, in [0, 1]. */
  regionShare(endSecond: number, seconds: number): Record<string, number> {
    const tally = new Map<string, number>();
    for (const loc of this.#byLocation.keys()) {
      for (const [region, n] of Object.entries(this.window(loc, endSecond, seconds).regions)) {
        tally.set(region, (tally.get(region) ?? 0) + n);
      }
    }
    const sum = [...tally.values()].reduce((a, b) => a + b, 0);
    return Object.fromEntries([...tally].sort().map(([r, n]) => [r, sum ? n / sum : 0]));
  }
}

function newBucket(): Bucket {
  return { requests: 0, errors: 0, hist: new LatencyHistogram(), regions: new Map() };
}

function add(b: Bucket, r: RequestRecord): void {
  b.requests += 1;
  if (!r.ok) b.errors += 1;
  else b.hist.record(r.totalMs);
  if (r.region) b.regions.set(r.region, (b.regions.get(r.region) ?? 0) + 1);
}

function mergeInto(into: Bucket, from: Bucket): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.hist.merge(from.hist);
  for (const [r, n] of from.regions) into.regions.set(r, (into.regions.get(r) ?? 0) + n);
}

function summarise(second: number, b: Bucket): LocationSecond {
  return {
    second,
    requests: b.requests,
    errors: b.errors,
    successRate: b.requests ? (b.requests - b.errors) / b.requests : null,
    p50Ms: b.hist.quantile(0.5),
    p99Ms: b.hist.quantile(0.99),
    regions: Object.fromEntries([...b.regions].sort()),
  };
}
