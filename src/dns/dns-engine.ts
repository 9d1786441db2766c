// The swappable heart of the server: the DnsSnapshot answering now, replaced whole when a new
// steering snapshot is published (never per query), and counters that survive the swaps. The
// zone is compiled once per world: a health or override change reuses it.
import type { Random } from '../core/index.js';
import type { HealthTable } from '../health-table/index.js';
import { compileSteering, type GeoLookup, type SteeringSnapshot } from '../policy/index.js';
import type { World } from '../world/index.js';
import { type ClientAddress, respond } from './answer.js';
import { DecisionHistory, type DecisionRecord } from './decision-log.js';
import type { DnsHandler } from './dns-handler.js';
import type { DnsQuery } from './dns-query.js';
import { DnsSnapshot } from './dns-snapshot.js';
import { compileZone, type DnsZone } from './dns-zone.js';
import { RCODE_NAMES } from './wire-constants.js';

/** The first steering snapshot, or what to compile it from. */
export type DnsEngineOptions = (
  | { steering: SteeringSnapshot }
  | {
      world: World;
      health: HealthTable;
      geo?: GeoLookup | null;
      /** Coin flips of non-sticky rollouts. */
      random?: Random;
    }
) & {
  /** Called with bugs caught on the query path (the query gets no answer). */
  onError?: (err: unknown) => void;
  /** Keep the decision log (default true; `meridian dns --no-decision-log` turns it off). */
  decisionLog?: boolean;
};

/** Totals since start, by name (rcode, hostname, region). */
export interface DnsCounters {
  readonly rcodes: Readonly<Record<string, number>>;
  readonly truncated: number;
  /** `hostname fqdn` → `region` → answers whose first region it was. */
  readonly chosen: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** `hostname fqdn` → answers chosen by whenAllDown. */
  readonly allDown: Readonly<Record<string, number>>;
  readonly errors: number;
}

export class DnsEngine implements DnsHandler {
  #snap: DnsSnapshot;
  /** The world `#snap.zone` was compiled from. */
  #zoneWorld: World;
  readonly #onError: (err: unknown) => void;
  readonly #retired = {
    rcodes: new Float64Array(RCODE_NAMES.length),
    truncated: 0,
    chosen: new Map<string, Map<string, number>>(),
    allDown: new Map<string, number>(),
  };
  #errors = 0;
  readonly #decisionLog: boolean;
  readonly #history = new DecisionHistory();

  constructor(opts: DnsEngineOptions) {
    this.#onError = opts.onError ?? (() => {});
    this.#decisionLog = opts.decisionLog ?? true;
    const steering =
      'steering' in opts
        ? opts.steering
        : compileSteering(opts.world, opts.health, undefined, {
            geo: opts.geo ?? null,
            ...(opts.random ? { random: opts.random } : {}),
          });
    this.#zoneWorld = steering.baseWorld;
    this.#snap = new DnsSnapshot(compileZone(steering.baseWorld), steering, this.#decisionLog);
  }

  /** The snapshot answering now. */
  get snapshot(): DnsSnapshot {
    return this.#snap;
  }

  /** The steering snapshot answering now. */
  get steering(): SteeringSnapshot {
    return this.#snap.steering;
  }

  /**
   * Answers from `steering` from now on: a new answer cache; the zone is recompiled only when
   * the steering is of another world (`baseWorld`) than the current one.
   */
  publish(steering: SteeringSnapshot): void {
    let zone: DnsZone = this.#snap.zone;
    if (steering.baseWorld !== this.#zoneWorld) {
      zone = compileZone(steering.baseWorld);
      this.#zoneWorld = steering.baseWorld;
    }
    this.#swap(new DnsSnapshot(zone, steering, this.#decisionLog));
  }

  /**
   * A new health table of the current world (same overrides and locator): for an engine without
   * a publisher (tests, benchmarks). The GSLB publishes through its SteeringPublisher instead.
   */
  setHealth(health: HealthTable): void {
    const s = this.#snap.steering;
    this.publish(compileSteering(s.baseWorld, health, s.overrides, { locator: s.locator, random: s.random }));
  }

  handle(q: DnsQuery, packet: Buffer, client: ClientAddress, transport: 'udp' | 'tcp'): Buffer | null {
    return respond(this.#snap, q, packet, client, transport);
  }

  onError(err: unknown): void {
    this.#errors += 1;
    this.#onError(err);
  }

  /** Counters since start, over every snapshot. */
  counters(): DnsCounters {
    const r = this.#retired;
    const snap = this.#snap;
    const rcodes: Record<string, number> = {};
    RCODE_NAMES.forEach((name, i) => {
      const n = (r.rcodes[i] ?? 0) + (snap.stats.rcodes[i] ?? 0);
      if (n > 0) rcodes[name] = n;
    });
    const chosen = new Map<string, Map<string, number>>();
    for (const [h, m] of r.chosen) chosen.set(h, new Map(m));
    const allDown = new Map(r.allDown);
    foldSnapshot(snap, chosen, allDown);
    return {
      rcodes,
      truncated: r.truncated + (snap.stats.truncated[0] ?? 0),
      chosen: Object.fromEntries([...chosen].map(([h, m]) => [h, Object.fromEntries(m)])),
      allDown: Object.fromEntries(allDown),
      errors: this.#errors,
    };
  }

  /** Whether the decision log is kept. */
  get decisionLogEnabled(): boolean {
    return this.#decisionLog;
  }

  /** Sets the time the decision log stamps on answers from now on (the GSLB ticks it). */
  tick(nowMs: number): void {
    if (this.#snap.decisions) this.#snap.decisions.nowMs = nowMs;
  }

  /** The decision log: recent actual answers by (hostname, network or /24 bucket, decision). */
  decisionRecords(): DecisionRecord[] {
    return this.#history.records(this.#snap.decisions);
  }

  /** Answers by `hostname\nfirst region\nreason code` since start (bounded label values). */
  decisionsByReason(): Map<string, number> {
    return this.#history.byReason(this.#snap.decisions);
  }

  #swap(next: DnsSnapshot): void {
    const old = this.#snap;
    this.#snap = next;
    const r = this.#retired;
    for (let i = 0; i < r.rcodes.length; i++) r.rcodes[i]! += old.stats.rcodes[i] ?? 0;
    r.truncated += old.stats.truncated[0] ?? 0;
    foldSnapshot(old, r.chosen, r.allDown);
    if (old.decisions) this.#history.retire(old.decisions);
  }
}

function foldSnapshot(
  snap: DnsSnapshot,
  chosen: Map<string, Map<string, number>>,
  allDown: Map<string, number>,
): void {
  const world = snap.world;
  const nr = world.regions.length;
  world.hostnames.forEach((h, hi) => {
    for (let ri = 0; ri < nr; ri++) {
      const n = snap.stats.hostRegion[hi * nr + ri] ?? 0;
      if (n === 0) continue;
      const region = world.regions[ri]!.name;
      const m = chosen.get(h.fqdn) ?? new Map<string, number>();
      m.set(region, (m.get(region) ?? 0) + n);
      chosen.set(h.fqdn, m);
    }
    const d = snap.stats.allDown[hi] ?? 0;
    if (d > 0) allDown.set(h.fqdn, (allDown.get(h.fqdn) ?? 0) + d);
  });
}
