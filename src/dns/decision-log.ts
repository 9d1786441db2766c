// The decision log of one DNS snapshot: every answer counted by the cached decision it came from
// (hostname, location class, rollout side: the regions answered and the reason codes are fixed per
// decision), plus a fixed-memory top-K of client /24 (/56) buckets per hostname for clients no
// world network located. Counting a query is two typed-array writes, and one `SubnetTopK`
// observation for an unlocated client; decisions register when the answer cache is filled
// (decision 0031). `DecisionHistory` keeps what retired snapshots counted, bounded.
import { bucketText, SubnetTopK } from './subnet-top-k.js';

/** What one decision was, registered once when its answer is first built. */
export interface DecisionInfo {
  readonly hostname: string;
  readonly hostIndex: number;
  /** The location class key (`network:<name>`, `geoip:…`, `unknown`). */
  readonly classKey: string;
  /** True when the class is a world network: counted per network, not per /24. */
  readonly byNetwork: boolean;
  readonly regions: readonly string[];
  readonly reasons: readonly string[];
}

/** Top-K slots per hostname by default. */
export const DEFAULT_SUBNETS_PER_HOSTNAME = 1024;

/** One aggregate of recent answers: to one network or /24 bucket, of one decision. */
export interface DecisionRecord {
  readonly hostname: string;
  /** `network:<name>` or `subnet:<bucket>`. */
  readonly where: string;
  readonly regions: readonly string[];
  readonly reasons: readonly string[];
  readonly count: number;
  readonly lastSeenMs: number;
}

export class DecisionLog {
  readonly decisions: DecisionInfo[] = [];
  /** [decisionId]: answers. Grown (on a cache miss only) as decisions register. */
  counts = new Float64Array(64);
  /** [decisionId]: time of the last answer, ms. */
  lastSeen = new Float64Array(64);
  /** [hostIndex]: top-K of unlocated clients' buckets, made when such a decision registers. */
  readonly subnets: (SubnetTopK | undefined)[];
  /** [decisionId]: the top-K an answer of it is counted in (null: counted per network). */
  readonly #topKOf: (SubnetTopK | null)[] = [];
  readonly #subnetsPerHostname: number;
  /**
   * The time stamped on answers, ms: set by the owner (`DnsEngine.tick`, every 250 ms under the
   * GSLB) rather than read per query, which would cost more than the counting itself.
   */
  nowMs = Date.now();

  constructor(hostnames: number, subnetsPerHostname = DEFAULT_SUBNETS_PER_HOSTNAME) {
    this.subnets = new Array<SubnetTopK | undefined>(hostnames).fill(undefined);
    this.#subnetsPerHostname = subnetsPerHostname;
  }

  /** Registers a decision; returns its id. */
  register(info: DecisionInfo): number {
    const id = this.decisions.length;
    this.decisions.push(info);
    if (!info.byNetwork && !this.subnets[info.hostIndex])
      this.subnets[info.hostIndex] = new SubnetTopK(this.#subnetsPerHostname);
    this.#topKOf.push(info.byNetwork ? null : (this.subnets[info.hostIndex] ?? null));
    if (id >= this.counts.length) {
      const counts = new Float64Array(this.counts.length * 2);
      counts.set(this.counts);
      this.counts = counts;
      const last = new Float64Array(this.lastSeen.length * 2);
      last.set(this.lastSeen);
      this.lastSeen = last;
    }
    return id;
  }

  /** Counts one answer of decision `id`; `bytes` is the client (ECS or source) address. */
  count(id: number, family: 4 | 6, bytes: Uint8Array, nowMs = this.nowMs): void {
    this.counts[id]! += 1;
    this.lastSeen[id] = nowMs;
    const topK = this.#topKOf[id];
    if (topK) topK.observe(family, bytes, id, nowMs);
  }

  /** Everything counted, as records (admin path, allocates). */
  records(): DecisionRecord[] {
    const out: DecisionRecord[] = [];
    this.decisions.forEach((d, id) => {
      const count = this.counts[id] ?? 0;
      if (count === 0 || !d.byNetwork) return;
      out.push({ ...recordOf(d), where: d.classKey, count, lastSeenMs: this.lastSeen[id] ?? 0 });
    });
    for (const topK of this.subnets) {
      for (const e of topK?.entries() ?? []) {
        const d = this.decisions[e.decisionId];
        if (!d) continue;
        out.push({
          ...recordOf(d),
          where: `subnet:${bucketText(e.family, e.bytes)}`,
          count: e.count,
          lastSeenMs: e.lastSeenMs,
        });
      }
    }
    return out;
  }

  /** Answers per (hostname, first region, reason code), for bounded-cardinality metrics. */
  byReason(): Map<string, number> {
    const out = new Map<string, number>();
    this.decisions.forEach((d, id) => {
      const n = this.counts[id] ?? 0;
      if (n === 0) return;
      const region = d.regions[0] ?? 'none';
      const codes = d.reasons.length > 0 ? d.reasons.map(reasonCode) : ['none'];
      for (const code of new Set(codes)) {
        const k = `${d.hostname}\n${region}\n${code}`;
        out.set(k, (out.get(k) ?? 0) + n);
      }
    });
    return out;
  }
}

function recordOf(d: DecisionInfo): Pick<DecisionRecord, 'hostname' | 'regions' | 'reasons'> {
  return { hostname: d.hostname, regions: d.regions, reasons: d.reasons };
}

/** A reason without its region: `down:eu-west-1` → `down` (bounded label values). */
export function reasonCode(reason: string): string {
  const i = reason.indexOf(':');
  return i < 0 || reason.startsWith('ordered-by') ? reason : reason.slice(0, i);
}

/** Records of retired snapshots, merged by (hostname, where, regions, reasons); at most `limit`. */
export class DecisionHistory {
  readonly #records = new Map<string, DecisionRecord>();
  readonly #byReason = new Map<string, number>();
  readonly limit: number;

  constructor(limit = 50_000) {
    this.limit = limit;
  }

  get size(): number {
    return this.#records.size;
  }

  /** Folds a retired snapshot's log in; drops the least recently seen records over the limit. */
  retire(log: DecisionLog): void {
    for (const r of log.records()) {
      const k = keyOf(r);
      const old = this.#records.get(k);
      this.#records.set(
        k,
        old ? { ...r, count: old.count + r.count, lastSeenMs: Math.max(old.lastSeenMs, r.lastSeenMs) } : r,
      );
    }
    for (const [k, n] of log.byReason()) this.#byReason.set(k, (this.#byReason.get(k) ?? 0) + n);
    if (this.#records.size > this.limit) {
      const sorted = [...this.#records].sort((a, b) => a[1].lastSeenMs - b[1].lastSeenMs);
      for (const [k] of sorted.slice(0, this.#records.size - this.limit)) this.#records.delete(k);
    }
  }

  /** Retired records merged with the live log's. */
  records(live: DecisionLog | null): DecisionRecord[] {
    const merged = new Map(this.#records);
    for (const r of live?.records() ?? []) {
      const k = keyOf(r);
      const old = merged.get(k);
      merged.set(
        k,
        old ? { ...r, count: old.count + r.count, lastSeenMs: Math.max(old.lastSeenMs, r.lastSeenMs) } : r,
      );
    }
    return [...merged.values()];
  }

  /** Answers by `hostname\nregion\nreason`, retired plus live. */
  byReason(live: DecisionLog | null): Map<string, number> {
    const out = new Map(this.#byReason);
    for (const [k, n] of live?.byReason() ?? []) out.set(k, (out.get(k) ?? 0) + n);
    return out;
  }
}

function keyOf(r: DecisionRecord): string {
  return `${r.hostname}\n${r.where}\n${r.regions.join(',')}\n${r.reasons.join(',')}`;
}
