// The workloads the `meridian` programs can run, by the name the world file gives them
// (`hostnames.*.workload`). A program runs the one named by `--workload`, else the first
// hostname's workload that is known here (`links` in the example worlds).
import type { Redis } from 'ioredis';
import { MeridianError } from '../core/index.js';
import { linksWorkload } from '../links/io/index.js';
import { profilesWorkload } from '../profiles/io/index.js';
import type { Workload } from '../workload/index.js';
import type { World } from '../world/index.js';

export interface WorkloadDeps {
  /** An external cache for workloads that read through one (profiles). */
  readonly redis?: Redis | undefined;
  /** Its key prefix (profiles' default `meridian:profiles`). */
  readonly redisKeyPrefix?: string;
}

export const KNOWN_WORKLOADS: Readonly<Record<string, (deps: WorkloadDeps) => Workload<unknown>>> = {
  links: () => linksWorkload() as Workload<unknown>,
  profiles: (deps) =>
    profilesWorkload({
      ...(deps.redis ? { redis: deps.redis } : {}),
      ...(deps.redisKeyPrefix ? { redisKeyPrefix: deps.redisKeyPrefix } : {}),
    }) as unknown as Workload<unknown>,
};

/** The workload's name: `flag` if given (it must be known), else the world's first known one. */
export function workloadNameFor(world: World | undefined, flag: string | undefined): string {
  const known = Object.keys(KNOWN_WORKLOADS);
  if (flag !== undefined) {
    if (!known.includes(flag)) {
      throw new MeridianError(
        'MERIDIAN_USAGE',
        `--workload ${flag}: known workloads are ${known.join(', ')}`,
      );
    }
    return flag;
  }
  return world?.hostnames.map((h) => h.workload).find((w) => known.includes(w)) ?? 'links';
}
