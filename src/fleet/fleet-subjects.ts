// Where a fleet's health observations live in NATS: one stream per fleet, one subject per
// (vantage, region): `meridian.<fleet>.health.<vantage>.<region>`.
import { MeridianError } from '../core/index.js';
import type { World } from '../world/index.js';

/** Names of one fleet's health stream and subjects. */
export interface FleetSubjects {
  readonly fleet: string;
  /** JetStream stream holding every vantage's observations: `meridian-<fleet>-health`. */
  readonly stream: string;
  /** The filter for every observation of the fleet: `meridian.<fleet>.health.>`. */
  readonly all: string;
  /** `meridian.<fleet>.health.<vantage>.<region>`. */
  subjectOf(vantage: string, region: string): string;
  /** The vantage and region a subject of this fleet names, or null for any other subject. */
  parse(subject: string): { vantage: string; region: string } | null;
}

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Subjects of `fleet`; throws MERIDIAN_FLEET_BAD_NAME for a name that is not like a region name. */
export function fleetSubjects(fleet: string): FleetSubjects {
  if (!NAME.test(fleet)) {
    throw new MeridianError(
      'MERIDIAN_FLEET_BAD_NAME',
      `fleet name "${fleet}" is not usable in NATS subjects; use lowercase letters, digits and "-" (like "example-test")`,
    );
  }
  const prefix = `meridian.${fleet}.health.`;
  return Object.freeze({
    fleet,
    stream: `meridian-${fleet}-health`,
    all: `${prefix}>`,
    subjectOf: (vantage: string, region: string) => `${prefix}${vantage}.${region}`,
    parse(subject: string) {
      if (!subject.startsWith(prefix)) return null;
      const rest = subject.slice(prefix.length).split('.');
      if (rest.length !== 2 || !rest[0] || !rest[1]) return null;
      return { vantage: rest[0], region: rest[1] };
    },
  });
}

/** The fleet a world belongs to unless `--fleet` says otherwise: its zone, dots as dashes. */
export function defaultFleetName(world: Pick<World, 'zone'>): string {
  return world.zone
    .replaceAll('.', '-')
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
}
