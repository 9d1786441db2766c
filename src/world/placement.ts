// Where a service runs: its `in` resolved to region names (unknown names are dropped here and
// reported by the reference rule).
import type { WorldInput } from './world-schema.js';

/** The declared regions a service runs in, in the order of `regions`. */
export function placementOf(world: WorldInput, serviceName: string): string[] {
  const service = world.services[serviceName];
  if (!service) return [];
  const all = Object.keys(world.regions);
  if (service.in === 'all') return all;
  if (service.in === 'home') return all.includes(world.home) ? [world.home] : [];
  const wanted = new Set(service.in);
  return all.filter((r) => wanted.has(r));
}

/** A hostname key as a lowercase name relative to the zone (`links`, or `@` for the apex). */
export function relativeHostname(key: string, zone: string): string {
  const name = key.toLowerCase().replace(/\.$/, '');
  const z = zone.toLowerCase().replace(/\.$/, '');
  if (name === z) return '@';
  return name.endsWith(`.${z}`) ? name.slice(0, -(z.length + 1)) : name;
}
