// Which workload `meridian up` drives: the first hostname the regions serve (policy other than
// `home`) whose workload the lab has a user journey for. The world file picks it.
import type { Hostname, World } from '../world/index.js';

/** The workloads the lab can run and drive, each with its user journey. */
export const LAB_WORKLOADS = ['links', 'profiles'] as const;
export type LabWorkloadName = (typeof LAB_WORKLOADS)[number];

export interface LabWorkload {
  readonly name: LabWorkloadName;
  /** The hostname users resolve, with the regions that serve it. */
  readonly hostname: Hostname;
  /** Other served hostnames naming a workload the lab knows: not run (one workload per world). */
  readonly notRun: readonly Hostname[];
}

/** The workload the world's hostnames name for the lab, or undefined when none is known. */
export function labWorkloadOf(world: World): LabWorkload | undefined {
  const served = world.hostnames.filter(
    (h) => h.policy !== 'home' && LAB_WORKLOADS.some((w) => w === h.workload),
  );
  const first = served[0];
  if (!first) return undefined;
  return {
    name: first.workload as LabWorkloadName,
    hostname: first,
    notRun: served.slice(1).filter((h) => h.workload !== first.workload),
  };
}
