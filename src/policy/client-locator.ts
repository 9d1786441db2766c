// Where a client is: longest-prefix match over the world's `networks`, else an optional GeoIP
// lookup, else "unknown" (assumed to be at home). Every answer the policy gives depends on the
// client only through the location class this returns, so answers can be precomputed per class.
import type { Coordinates } from '../geo/index.js';
import type { World } from '../world/index.js';
import { nestedScopeSteps } from './nested-scopes.js';

/** Where a GeoIP database places an address, with the prefix length its record covers. */
export interface GeoLookup {
  lookup(family: 4 | 6, bytes: Uint8Array): { location: Coordinates; prefixLength: number } | null;
}

/** A set of clients that get the same answers: one world network, one GeoIP cell, or unknown. */
export interface LocationClass {
  readonly id: number;
  /** `unknown`, `network:<name>` or `geoip:<lat>,<lon>` (whole degrees). */
  readonly key: string;
  /** The world network name (the key into `world.latency`), if any. */
  readonly network: string | null;
  readonly location: Coordinates;
  readonly source: 'unknown' | 'network' | 'geoip';
}

/** Networks indexed between two turns of the event loop by `ClientLocator.build`. */
const SLICE = 500;
/** Tells the constructor that `build` runs the indexing in slices. */
const LATER: unique symbol = Symbol('ClientLocator.build');

/** The class every unlocated client is in. */
export const UNKNOWN_CLASS = 0;
/** GeoIP cells beyond this many fall back to the unknown class (bounded memory). */
export const MAX_GEOIP_CLASSES = 20_000;

interface V4Level {
  readonly length: number;
  readonly mask: number;
  readonly nets: Map<number, number>;
}

interface NetEntry {
  readonly classId: number;
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly length: number;
  /** ECS scope to return when this network matched (see README: scope rule). */
  readonly scope: number;
}

/** Where `locate` writes its result (a caller's reused struct: no allocation per query). */
export interface LocatedClient {
  /** Index into `ClientLocator.classes`. */
  classId: number;
  /** The ECS scope prefix length the location justifies (see README: scope rule). */
  scope: number;
}

/** Locates clients into a caller's `LocatedClient`. */
export class ClientLocator {
  readonly classes: LocationClass[] = [];
  readonly #v4: V4Level[] = [];
  readonly #v4Entries: NetEntry[] = [];
  readonly #v6: NetEntry[] = [];
  readonly #scopeByClass: number[] = [0];
  readonly #unmatchedScope: [number, number];
  readonly #geo: GeoLookup | null;
  readonly #geoClasses = new Map<string, number>();

  /** The rest of the build, when `build` runs it in slices; null once built. */
  #building: Generator<void> | null = null;

  constructor(world: World, geo: GeoLookup | null = null, later?: typeof LATER) {
    this.#geo = geo;
    const home = world.regions.find((r) => r.isHome) ?? world.regions[0];
    this.classes.push({
      id: UNKNOWN_CLASS,
      key: 'unknown',
      network: null,
      location: home ? home.location : { lat: 0, lon: 0 },
      source: 'unknown',
    });
    let longest4 = 0;
    let longest6 = 0;
    for (const n of world.networks) {
      if (n.cidr.family === 4) longest4 = Math.max(longest4, n.cidr.length);
      else longest6 = Math.max(longest6, n.cidr.length);
    }
    this.#unmatchedScope = [longest4, longest6];
    const steps = this.#index(world);
    if (later === LATER) this.#building = steps;
    else for (const _ of steps);
  }

  /**
   * The same locator, built a slice of networks at a time with a turn of the event loop between
   * two slices: a world of 20 000 networks then never holds up queries for long (reload).
   */
  static async build(world: World, geo: GeoLookup | null = null): Promise<ClientLocator> {
    const locator = new ClientLocator(world, geo, LATER);
    for (const _ of locator.#building!) await new Promise((resolve) => setImmediate(resolve));
    locator.#building = null;
    return locator;
  }

  /** Indexes the networks, pausing after each SLICE of work. */
  *#index(world: World): Generator<void> {
    const nets = world.networks;
    // a more specific network nested inside one answers differently: widen its scope to it
    const scopes = yield* nestedScopeSteps(
      nets.map((n) => n.cidr),
      { steps: 0 },
      SLICE,
    );
    for (let i = 0; i < nets.length; i++) {
      const n = nets[i]!;
      const id = this.classes.length;
      this.classes.push({
        id,
        key: `network:${n.name}`,
        network: n.name,
        location: n.location,
        source: 'network',
      });
      const scope = scopes[i]!;
      this.#scopeByClass[id] = scope;
      const entry: NetEntry = {
        classId: id,
        family: n.cidr.family,
        bytes: n.cidr.bytes,
        length: n.cidr.length,
        scope,
      };
      if (n.cidr.family === 4) this.#v4Entries.push(entry);
      else this.#v6.push(entry);
      if ((i + 1) % SLICE === 0) yield;
    }
    this.#v6.sort((a, b) => b.length - a.length);
    yield;
    const lengths = [...new Set(this.#v4Entries.map((e) => e.length))].sort((a, b) => b - a);
    let work = 0;
    for (const length of lengths) {
      const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
      const level: V4Level = { length, mask, nets: new Map() };
      for (const e of this.#v4Entries) {
        if (++work % SLICE === 0) yield;
        if (e.length !== length) continue;
        const key = u32(e.bytes, 0);
        // two networks with the same prefix: the first declared wins (lint rejects duplicates)
        if (!level.nets.has(key)) level.nets.set(key, e.classId);
      }
      this.#v4.push(level);
    }
  }

  /**
   * The class of a client at `bytes` (4 or 16 bytes) of which the first `prefixLength` bits are
   * known (ECS source prefix, or the full source address). Only networks no longer than the known
   * prefix can match. Writes the class and the scope into `out` and returns the class id.
   */
  locate(family: 4 | 6, bytes: Uint8Array, prefixLength: number, out: LocatedClient): number {
    if (family === 4) {
      const addr = u32(bytes, 0);
      for (const level of this.#v4) {
        if (level.length > prefixLength) continue;
        const id = level.nets.get((addr & level.mask) >>> 0);
        if (id !== undefined) return located(out, id, this.#scopeByClass[id] ?? level.length);
      }
    } else {
      for (const e of this.#v6) {
        if (e.length <= prefixLength && within(bytes, e.bytes, e.length))
          return located(out, e.classId, e.scope);
      }
    }
    if (this.#geo) {
      const hit = this.#geo.lookup(family, bytes);
      if (hit) {
        const id = this.#geoClass(hit.location);
        if (id !== UNKNOWN_CLASS)
          return located(out, id, Math.min(hit.prefixLength, family === 4 ? 32 : 128));
      }
    }
    return located(out, UNKNOWN_CLASS, this.#unmatchedScope[family === 4 ? 0 : 1]);
  }

  #geoClass(location: Coordinates): number {
    const lat = Math.round(location.lat);
    const lon = Math.round(location.lon);
    const key = `geoip:${lat},${lon}`;
    const known = this.#geoClasses.get(key);
    if (known !== undefined) return known;
    if (this.#geoClasses.size >= MAX_GEOIP_CLASSES) return UNKNOWN_CLASS;
    const id = this.classes.length;
    this.classes.push({ id, key, network: null, location: { lat, lon }, source: 'geoip' });
    this.#geoClasses.set(key, id);
    return id;
  }
}

function located(out: LocatedClient, classId: number, scope: number): number {
  out.classId = classId;
  out.scope = scope;
  return classId;
}

function u32(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) | ((b[o + 1] ?? 0) << 16) | ((b[o + 2] ?? 0) << 8) | (b[o + 3] ?? 0)) >>> 0;
}

/** True when the first `length` bits of `addr` equal those of `net`. */
function within(addr: Uint8Array, net: Uint8Array, length: number): boolean {
  const full = length >>> 3;
  for (let i = 0; i < full; i++) if (addr[i] !== net[i]) return false;
  const rest = length & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return ((addr[full] ?? 0) & m) === ((net[full] ?? 0) & m);
}
