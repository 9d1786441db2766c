// What a reload of the world file changes for the running lab: which regions to start, which
// to stop, which to replace (address, port or CIDR changed), and what a reload cannot apply
// without restarting the world (another home, another zone).
import type { World } from '../world/index.js';

export interface WorldDiff {
  /** Regions declared now and not before: start their process and links. */
  readonly added: readonly string[];
  /** Regions declared before and not now: stop their process and links. */
  readonly removed: readonly string[];
  /** Regions whose address, port or CIDR changed: stop, then start again. */
  readonly replaced: readonly string[];
  /** Why the new world cannot be applied by reload (empty when it can). */
  readonly unsupported: readonly string[];
}

/** Compares the running world with a newly loaded one. Pure. */
export function diffWorlds(before: World, after: World): WorldDiff {
  const old = new Map(before.regions.map((r) => [r.name, r]));
  const now = new Map(after.regions.map((r) => [r.name, r]));
  const unsupported: string[] = [];
  const homeBefore = before.regions.find((r) => r.isHome);
  const homeAfter = after.regions.find((r) => r.isHome);
  if (homeBefore?.name !== homeAfter?.name) {
    unsupported.push(`home changed from ${homeBefore?.name} to ${homeAfter?.name}`);
  } else if (
    homeBefore &&
    homeAfter &&
    (homeBefore.address !== homeAfter.address || homeBefore.port !== homeAfter.port)
  ) {
    unsupported.push(`home ${homeAfter.name} moved to another address`);
  }
  if (before.zone !== after.zone) unsupported.push(`zone changed from ${before.zone} to ${after.zone}`);
  const added = [...now.keys()].filter((n) => !old.has(n));
  const removed = [...old.keys()].filter((n) => !now.has(n));
  const replaced = [...now.values()]
    .filter((r) => {
      const o = old.get(r.name);
      return (
        o !== undefined &&
        !r.isHome &&
        (o.address !== r.address || o.port !== r.port || o.cidrText !== r.cidrText)
      );
    })
    .map((r) => r.name);
  return { added, removed, replaced, unsupported };
}

/** True when the diff asks for no process or link change. */
export function isEmptyDiff(d: WorldDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.replaced.length === 0;
}
