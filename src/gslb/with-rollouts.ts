// Runtime rollout overrides (PUT /v1/hostnames/{name}/rollout) applied to a world: a new frozen
// World whose hostnames carry the overridden rollouts; everything else is shared.
import { deepFreeze } from '../core/index.js';
import type { Rollout, World } from '../world/index.js';

/** `null` removes a hostname's rollout; a Rollout replaces it. Keys are hostname FQDNs. */
export type RolloutOverrides = ReadonlyMap<string, Rollout | null>;

export function withRollouts(world: World, overrides: RolloutOverrides): World {
  if (overrides.size === 0) return world;
  const hostnames = world.hostnames.map((h) => {
    if (!overrides.has(h.fqdn)) return h;
    const r = overrides.get(h.fqdn);
    const { rollout: _old, ...rest } = h;
    return r ? { ...rest, rollout: r } : rest;
  });
  return deepFreeze({ ...world, hostnames });
}
