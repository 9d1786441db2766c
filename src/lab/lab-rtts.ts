// Round-trip times the lab plays out: user network → region and region → home, each with the
// source it came from (the shipped measured table, the world's `latency` table, or the model).
// A user's path also crosses the user's own access network (`lab.accessRttMs`), added on top.
import { type Coordinates, estimateRttMs, listCloudRegions, type RttTable } from '../geo/index.js';
import type { World } from '../world/index.js';

/** Where a figure came from, in the order the lab tries them. */
export type RttSource = 'measured' | 'world' | 'model';

export interface LabRtt {
  /** A network name (user → region) or a region name (region → home). */
  readonly from: string;
  /** A region name. */
  readonly to: string;
  readonly kind: 'user' | 'home';
  /** The whole round trip: `pathMs + accessMs`. */
  readonly rttMs: number;
  /** The part between the network's metro and the region (from `source`). */
  readonly pathMs: number;
  /** The users' last mile (0 for region → home). */
  readonly accessMs: number;
  readonly source: RttSource;
}

/** Every figure the lab uses, with lookups. */
export interface LabRtts {
  readonly entries: readonly LabRtt[];
  /** RTT from a user network to a region; undefined for unknown names. */
  user(network: string, region: string): LabRtt | undefined;
  /** RTT from a region to home; undefined for unknown regions or for home itself. */
  home(region: string): LabRtt | undefined;
}

/**
 * Resolves every (network, region) and (region, home) round trip: the measured AWS table when
 * both ends sit at cloud regions it covers, else `world.latency[from][to]`, else the
 * great-circle model. A network is "at" a cloud region when its location is that region's
 * metro (which is what `cloudRegion:` in the world file resolves to).
 */
export function resolveLabRtts(world: World, measured: RttTable): LabRtts {
  const entries: LabRtt[] = [];
  const regionPlace = new Map(world.regions.map((r) => [r.name, r.cloudRegion]));
  const regionAt = new Map(world.regions.map((r) => [r.name, r.location]));
  const pick = (
    from: string,
    fromCloud: string | undefined,
    fromAt: Coordinates,
    to: string,
    kind: LabRtt['kind'],
    accessMs: number,
  ): LabRtt => {
    const entry = (pathMs: number, source: RttSource): LabRtt => ({
      from,
      to,
      kind,
      rttMs: pathMs + accessMs,
      pathMs,
      accessMs,
      source,
    });
    const toCloud = regionPlace.get(to);
    const m = fromCloud && toCloud && fromCloud !== toCloud ? measured.get(fromCloud, toCloud) : undefined;
    if (m !== undefined) return entry(m, 'measured');
    const w = world.latency[from]?.[to];
    if (w !== undefined) return entry(w, 'world');
    return entry(Math.round(estimateRttMs(fromAt, regionAt.get(to)!) * 10) / 10, 'model');
  };
  for (const n of world.networks) {
    const cloud = cloudRegionAt(n.location);
    const access = accessRttMs(world, n.name);
    for (const r of world.regions) entries.push(pick(n.name, cloud, n.location, r.name, 'user', access));
  }
  for (const r of world.regions) {
    if (r.isHome) continue;
    entries.push(pick(r.name, r.cloudRegion, r.location, world.home, 'home', 0));
  }
  const byKey = new Map(entries.map((e) => [`${e.kind}\u0000${e.from}\u0000${e.to}`, e]));
  return {
    entries,
    user: (network, region) => byKey.get(`user\u0000${network}\u0000${region}`),
    home: (region) => byKey.get(`home\u0000${region}\u0000${world.home}`),
  };
}

/** The last-mile round trip of a network's users: its population's, else the lab's default. */
export function accessRttMs(world: World, network: string): number {
  return world.lab.users[network]?.accessRttMs ?? world.lab.accessRttMs;
}

/** The cloud region whose metro is exactly at `at`, if any. */
export function cloudRegionAt(at: Coordinates): string | undefined {
  return listCloudRegions().find((c) => c.location.lat === at.lat && c.location.lon === at.lon)?.name;
}

/** A plain-text table of the chosen figures, one line per pair, for `meridian up` to print. */
export function formatLabRtts(rtts: LabRtts): string {
  const rows = rtts.entries.map((e) => [
    e.kind === 'user' ? `${e.from} → ${e.to}` : `${e.from} → home ${e.to}`,
    `${e.rttMs.toFixed(1)} ms`,
    e.accessMs > 0 ? `${e.source} ${e.pathMs.toFixed(1)} + access ${e.accessMs.toFixed(1)}` : e.source,
  ]);
  const header = ['path', 'rtt', 'source'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
