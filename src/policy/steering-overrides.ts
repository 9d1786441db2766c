// Runtime overrides of the world file that steering applies (PUT /v1/hostnames/{name}/rollout):
// a new frozen World whose hostnames carry the overridden rollouts; everything else is shared.
import { deepFreeze } from '../core/index.js';
import type { Rollout, World } from '../world/index.js';

/** `null` removes a hostname's rollout; a Rollout replaces it. Keys are hostname FQDNs. */
export type RolloutOverrides = ReadonlyMap<string, Rollout | null>;

/**
 * What an operator changed at run time, on top of the world file; cleared when a changed file is
 * loaded. Drains stay in the health table (the health source applies them, decision 0022).
 */
export interface SteeringOverrides {
  readonly rollouts: RolloutOverrides;
}

export const NO_OVERRIDES: SteeringOverrides = Object.freeze({ rollouts: new Map() });

/** The world with its rollouts overridden; the same object when there is nothing to override. */
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
