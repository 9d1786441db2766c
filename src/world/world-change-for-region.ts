// What a running region (or home) would have to restart for, when the world file changes
// under it: the fields of its expected /status that differ, ignoring the world's hash. An
// empty list means the new world only changed other regions (or nothing this process uses),
// so the process can adopt it in place and report the new world hash.
import type { ExpectedStatusOptions } from './region-template.js';
import { expectedRegionStatus } from './region-template.js';
import type { World } from './world.js';

/** What a running process did with a new world file: took it, or lists what needs a restart. */
export interface WorldAdoption {
  readonly adopted: boolean;
  readonly restartNeeded: readonly string[];
}

/** Dotted paths (e.g. `knobs.outboxFlushMs`, `health`) whose value this region sees change. */
export function worldChangeForRegion(
  before: World,
  after: World,
  regionName: string,
  options: ExpectedStatusOptions,
): string[] {
  if (!after.regions.some((r) => r.name === regionName)) return ['(region removed from the world)'];
  if (options.kind === 'home' && after.home !== regionName) return ['home'];
  const a = expectedRegionStatus(before, regionName, options) as unknown as Record<string, unknown>;
  const b = expectedRegionStatus(after, regionName, options) as unknown as Record<string, unknown>;
  const changed: string[] = [];
  diff(a, b, '', changed);
  return changed.filter((p) => p !== 'worldHash');
}

/**
 * Whether a process running `regionName` with world `current` can take `next` in place: it can
 * when `worldChangeForRegion` finds nothing. The caller swaps its world when `adopted`.
 */
export function worldAdoption(
  current: World,
  next: World,
  regionName: string,
  options: ExpectedStatusOptions,
): WorldAdoption {
  const restartNeeded = worldChangeForRegion(current, next, regionName, options);
  return { adopted: restartNeeded.length === 0, restartNeeded };
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === b) return;
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      diff(a[k], b[k], path ? `${path}.${k}` : k, out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path || '(root)');
}
