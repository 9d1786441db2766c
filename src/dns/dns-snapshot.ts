// Everything the answer path reads for one steering snapshot: the zone compiled for its world, the
// steering, precomputed answer bytes per (hostname, location class, rollout side) built lazily
// (decision 0007), and the counters of the queries it answered. Swapped whole when a new
// steering snapshot is published; the zone is shared by every snapshot of one world.
import type { SteeringSnapshot } from '../policy/index.js';
import type { World } from '../world/index.js';
import { DecisionLog } from './decision-log.js';
import { addressRdata, type DnsZone, pointer, type RecordSections, rr } from './dns-zone.js';
import { QTYPE_A, QTYPE_AAAA, RCODE_NAMES } from './wire-constants.js';

/** The precomputed answers of one decision. */
export interface HostAnswer {
  /** A records (null: NODATA). */
  readonly a: RecordSections | null;
  readonly aaaa: RecordSections | null;
  /** First region of the answer, or -1 (for metrics). */
  readonly firstRegion: number;
  readonly allDown: boolean;
  /** Id in the snapshot's decision log, or -1 without one. */
  readonly decisionId: number;
}

/** Counters kept in typed arrays so counting costs nothing on the query path. */
export interface DnsStats {
  readonly rcodes: Float64Array;
  readonly truncated: Float64Array;
  /** [hostIndex * regions + regionIndex]: answers whose first region was that region. */
  readonly hostRegion: Float64Array;
  /** [hostIndex]: answers chosen by whenAllDown. */
  readonly allDown: Float64Array;
}

export class DnsSnapshot {
  readonly world: World;
  readonly zone: DnsZone;
  readonly steering: SteeringSnapshot;
  readonly stats: DnsStats;
  /** The decision log of this snapshot's answers, or null when it is off. */
  readonly decisions: DecisionLog | null;
  /** [hostIndex]: NODATA sections for a hostname (SOA TTL also capped by the hostname TTL). */
  readonly hostNodata: readonly RecordSections[];
  readonly #answers: (HostAnswer | undefined)[][];
  readonly #apexOffsets: readonly number[];

  /** `zone` must be compiled from `steering.baseWorld` (`compileZone`). */
  constructor(zone: DnsZone, steering: SteeringSnapshot, decisionLog = true) {
    this.world = steering.world;
    this.zone = zone;
    this.steering = steering;
    const hosts = this.world.hostnames.length;
    const regions = this.world.regions.length;
    this.stats = {
      rcodes: new Float64Array(RCODE_NAMES.length),
      truncated: new Float64Array(1),
      hostRegion: new Float64Array(hosts * regions + 1),
      allDown: new Float64Array(hosts + 1),
    };
    this.decisions = decisionLog ? new DecisionLog(hosts) : null;
    this.#answers = this.world.hostnames.flatMap(() => [[], []]);
    const offsets: number[] = [];
    for (const node of zone.nodes.values())
      if (node.hostIndex >= 0) offsets[node.hostIndex] = node.apexOffset;
    this.#apexOffsets = offsets;
    this.hostNodata = this.world.hostnames.map((h, i) => {
      const soa = Buffer.from(zone.soaNegative);
      const ttl = Math.min(soa.readUInt32BE(4), steering.hostnames[i]?.ttlSeconds ?? h.ttlSeconds);
      soa.writeUInt32BE(ttl, 4);
      return { body: Buffer.concat([pointer(offsets[i] ?? 12), soa]), an: 0, ns: 1, ar: 0 };
    });
  }

  /** The precomputed answer for a hostname, client class and rollout side. */
  hostAnswer(hostIndex: number, classId: number, inRollout: boolean): HostAnswer {
    const row = this.#answers[hostIndex * 2 + (inRollout ? 1 : 0)]!;
    const hit = row[classId];
    if (hit) return hit;
    const decision = this.steering.decide(hostIndex, classId, inRollout);
    const q = pointer(12);
    const a: Buffer[] = [];
    const aaaa: Buffer[] = [];
    for (const i of decision.regions) {
      const region = this.world.regions[i];
      if (!region) continue;
      a.push(rr(q, QTYPE_A, decision.ttlSeconds, addressRdata(region.address, 4)));
      if (region.address6)
        aaaa.push(rr(q, QTYPE_AAAA, decision.ttlSeconds, addressRdata(region.address6, 6)));
    }
    const made: HostAnswer = {
      a: a.length > 0 ? { body: Buffer.concat(a), an: a.length, ns: 0, ar: 0 } : null,
      aaaa: aaaa.length > 0 ? { body: Buffer.concat(aaaa), an: aaaa.length, ns: 0, ar: 0 } : null,
      firstRegion: decision.regions[0] ?? -1,
      allDown: decision.allDown,
      decisionId: this.#register(hostIndex, classId, decision.regions, decision.reasons),
    };
    row[classId] = made;
    return made;
  }

  #register(
    hostIndex: number,
    classId: number,
    regions: readonly number[],
    reasons: readonly string[],
  ): number {
    if (!this.decisions) return -1;
    const cls = this.steering.locator.classes[classId];
    return this.decisions.register({
      hostname: this.world.hostnames[hostIndex]?.fqdn ?? `#${hostIndex}`,
      hostIndex,
      classKey: cls?.key ?? 'unknown',
      byNetwork: cls?.source === 'network',
      regions: regions.map((i) => this.world.regions[i]?.name ?? `#${i}`),
      reasons,
    });
  }

  /** Offset of the apex inside a question for hostname `hostIndex`. */
  apexOffset(hostIndex: number): number {
    return this.#apexOffsets[hostIndex] ?? 12;
  }
}
