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
}

/** The workload the world's hostnames name for the lab, or undefined when none is known. */
export function labWorkloadOf(world: World): LabWorkload | undefined {
  for (const h of world.hostnames) {
    if (h.policy === 'home') continue;
    const name = LAB_WORKLOADS.find((w) => w === h.workload);
    if (name) return { name, hostname: h };
  }
  return undefined;
}
