// The swappable heart of the server: the current DnsSnapshot, rebuilt when the health table or
// the world changes (never per query), and counters that survive the swaps.
import { type Random, systemRandom } from '../core/index.js';
import type { HealthTable } from '../health-table/index.js';
import { ClientLocator, compilePolicy, type GeoLookup } from '../policy/index.js';
import type { World } from '../world/index.js';
import { type ClientAddress, respond } from './answer.js';
import type { DnsQuery } from './dns-query.js';
import { DnsSnapshot } from './dns-snapshot.js';
import { compileZone } from './dns-zone.js';
import type { DnsHandler } from './io/dns-handler.js';
import { RCODE_NAMES } from './wire-constants.js';

export interface DnsEngineOptions {
  world: World;
  health: HealthTable;
  geo?: GeoLookup | null;
  random?: Random;
  /** Called with bugs caught on the query path (the query gets no answer). */
  onError?: (err: unknown) => void;
}

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
  #locator: ClientLocator;
  readonly #geo: GeoLookup | null;
  readonly #random: Random;
  readonly #onError: (err: unknown) => void;
  readonly #retired = {
    rcodes: new Float64Array(RCODE_NAMES.length),
    truncated: 0,
    chosen: new Map<string, Map<string, number>>(),
    allDown: new Map<string, number>(),
  };
  #errors = 0;

  constructor(opts: DnsEngineOptions) {
    this.#geo = opts.geo ?? null;
    this.#random = opts.random ?? systemRandom;
    this.#onError = opts.onError ?? (() => {});
    this.#locator = new ClientLocator(opts.world, this.#geo);
    this.#snap = this.#build(opts.world, opts.health, this.#locator);
  }

  /** The snapshot answering now. */
  get snapshot(): DnsSnapshot {
    return this.#snap;
  }

  /** Recompiles the policy for a new health table (same world). */
  setHealth(health: HealthTable): void {
    this.#swap(this.#build(this.#snap.world, health, this.#locator));
  }

  /**
   * Switches to a new world (already validated) under `health`; `locator`, when given, must
   * locate by this world's networks and the engine's GeoIP (see `ClientLocator.build`).
   */
  setWorld(world: World, health: HealthTable, locator = new ClientLocator(world, this.#geo)): void {
    const snap = this.#build(world, health, locator);
    this.#locator = locator;
    this.#swap(snap);
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

  #build(world: World, health: HealthTable, locator: ClientLocator): DnsSnapshot {
    return new DnsSnapshot(compileZone(world), compilePolicy(world, health, locator), this.#random);
  }

  #swap(next: DnsSnapshot): void {
    const old = this.#snap;
    this.#snap = next;
    const r = this.#retired;
    for (let i = 0; i < r.rcodes.length; i++) r.rcodes[i]! += old.stats.rcodes[i] ?? 0;
    r.truncated += old.stats.truncated[0] ?? 0;
    foldSnapshot(old, r.chosen, r.allDown);
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
