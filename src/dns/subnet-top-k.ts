// A fixed-memory top-K of (client subnet bucket, decision) pairs: the ECS /24 (IPv4) or /56 (IPv6)
// buckets of unlocated clients, with the decision each got. Space-saving over a small probe
// window of an open-addressed table kept in typed arrays: a pair already held is counted in
// place; a new pair takes a free slot of its window, else replaces the window's least counted
// slot and inherits its count + 1 (an over-estimate, as in space-saving). Nothing allocates per
// observation and the memory never grows past `capacity` slots (decision 0031).

/** Slots looked at per observation. */
const PROBE = 8;

/** One held pair, as read back (allocates: admin path only). */
export interface SubnetBucketCount {
  readonly family: 4 | 6;
  /** The bucket's first bytes: 3 for IPv4 (/24), 7 for IPv6 (/56). */
  readonly bytes: Uint8Array;
  readonly decisionId: number;
  readonly count: number;
  readonly lastSeenMs: number;
}

export class SubnetTopK {
  readonly capacity: number;
  readonly #mask: number;
  /** 0: empty, 4 or 6. */
  readonly #family: Uint8Array;
  readonly #hi: Uint32Array;
  readonly #lo: Uint32Array;
  readonly #decision: Int32Array;
  readonly #count: Float64Array;
  readonly #lastSeen: Float64Array;
  #size = 0;
  /** The slot last counted: runs of queries from one bucket skip the hash. */
  #last = 0;

  /** `capacity` is rounded up to a power of two (at least PROBE). */
  constructor(capacity: number) {
    let c = PROBE;
    while (c < capacity) c *= 2;
    this.capacity = c;
    this.#mask = c - 1;
    this.#family = new Uint8Array(c);
    this.#hi = new Uint32Array(c);
    this.#lo = new Uint32Array(c);
    this.#decision = new Int32Array(c);
    this.#count = new Float64Array(c);
    this.#lastSeen = new Float64Array(c);
  }

  /** Pairs held now (≤ capacity). */
  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table: fixed at construction. */
  get byteLength(): number {
    return this.capacity * (1 + 4 + 4 + 4 + 8 + 8);
  }

  /** Counts one answer of `decisionId` to a client at `bytes` (4 or 16 bytes). */
  observe(family: 4 | 6, bytes: Uint8Array, decisionId: number, nowMs: number): void {
    let hi = 0;
    let lo: number;
    if (family === 4) {
      lo = ((bytes[0]! << 16) | (bytes[1]! << 8) | bytes[2]!) >>> 0;
    } else {
      hi = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
      lo = ((bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!) >>> 0;
    }
    const last = this.#last;
    if (
      this.#lo[last] === lo &&
      this.#decision[last] === decisionId &&
      this.#family[last] === family &&
      this.#hi[last] === hi
    ) {
      this.#count[last]! += 1;
      this.#lastSeen[last] = nowMs;
      return;
    }
    let h =
      Math.imul(lo ^ family, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(decisionId + 1, 0xc2b2ae35);
    h ^= h >>> 15;
    const mask = this.#mask;
    let min = -1;
    let minCount = Number.POSITIVE_INFINITY;
    for (let p = 0; p < PROBE; p++) {
      const s = (h + p) & mask;
      const f = this.#family[s]!;
      if (f === 0) {
        this.#family[s] = family;
        this.#hi[s] = hi;
        this.#lo[s] = lo;
        this.#decision[s] = decisionId;
        this.#count[s] = 1;
        this.#lastSeen[s] = nowMs;
        this.#size += 1;
        this.#last = s;
        return;
      }
      if (f === family && this.#lo[s] === lo && this.#hi[s] === hi && this.#decision[s] === decisionId) {
        this.#count[s]! += 1;
        this.#lastSeen[s] = nowMs;
        this.#last = s;
        return;
      }
      const c = this.#count[s]!;
      if (c < minCount) {
        minCount = c;
        min = s;
      }
    }
    this.#family[min] = family;
    this.#hi[min] = hi;
    this.#lo[min] = lo;
    this.#decision[min] = decisionId;
    this.#count[min] = minCount + 1;
    this.#lastSeen[min] = nowMs;
    this.#last = min;
  }

  /** Every held pair (admin path). */
  entries(): SubnetBucketCount[] {
    const out: SubnetBucketCount[] = [];
    for (let s = 0; s < this.capacity; s++) {
      const f = this.#family[s]!;
      if (f === 0) continue;
      const hi = this.#hi[s]!;
      const lo = this.#lo[s]!;
      const bytes =
        f === 4
          ? Uint8Array.of(lo >>> 16, (lo >>> 8) & 255, lo & 255)
          : Uint8Array.of(
              hi >>> 24,
              (hi >>> 16) & 255,
              (hi >>> 8) & 255,
              hi & 255,
              lo >>> 16,
              (lo >>> 8) & 255,
              lo & 255,
            );
      out.push({
        family: f === 4 ? 4 : 6,
        bytes,
        decisionId: this.#decision[s]!,
        count: this.#count[s]!,
        lastSeenMs: this.#lastSeen[s]!,
      });
    }
    return out;
  }
}

/** The bucket of a client as text: `a.b.c.0/24` or `xxxx:xxxx:xxxx:xx00::/56`. */
export function bucketText(family: 4 | 6, bytes: Uint8Array): string {
  if (family === 4) return `${bytes[0] ?? 0}.${bytes[1] ?? 0}.${bytes[2] ?? 0}.0/24`;
  const b = [...bytes.subarray(0, 7), 0];
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return `${groups.join(':')}::/56`;
}
