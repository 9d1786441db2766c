// The NATS side of `meridian drain | undrain | rollout --nats`: the change goes straight into the
// fleet's operator-state bucket, checked against the world file's floor with compare-and-set.
import { MeridianError } from '../../core/index.js';
import { defaultFleetName, fleetSubjects } from '../../fleet/index.js';
import { drainedTable, previewDrain } from '../../gslb/index.js';
import { uniformHealthTable } from '../../health-table/index.js';
import {
  checkDrainFloor,
  type DrainFloorVerdict,
  type DrainMark,
  type OperatorRecord,
  type RolloutOverride,
} from '../../operator-state/index.js';
import { OperatorStateStore } from '../../operator-state/io/index.js';
import { ClientLocator, compileSteering, NO_OVERRIDES } from '../../policy/index.js';
import type { World } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import { parseNatsUrls } from './probe.js';

export interface FleetTarget {
  readonly nats: string;
  readonly fleet?: string;
  readonly world: string;
}

/** How long the CLI waits for the bucket before giving up. */
const CATCH_UP_MS = 10_000;

/** Opens the fleet's store, runs `fn` once it has read the bucket, and closes it. */
export async function withFleetStore<T>(
  target: FleetTarget,
  fn: (store: OperatorStateStore, world: World) => Promise<T>,
): Promise<T> {
  const world = loadWorld(target.world);
  const servers = parseNatsUrls(target.nats);
  const fleet = target.fleet ?? defaultFleetName(world);
  try {
    fleetSubjects(fleet);
  } catch (err) {
    throw new MeridianError('MERIDIAN_USAGE', `--fleet: ${(err as Error).message}`);
  }
  const store = new OperatorStateStore({ servers, fleet, name: 'meridian-cli' });
  store.start();
  try {
    let timer: NodeJS.Timeout | undefined;
    const caughtUp = await Promise.race([
      store.whenCaughtUp().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), CATCH_UP_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!caughtUp) {
      throw new MeridianError(
        'MERIDIAN_OPERATOR_STATE_UNAVAILABLE',
        `no answer from the fleet's operator state (${store.bucket}) on ${servers.join(',')} within ${CATCH_UP_MS / 1000} s`,
      );
    }
    return await fn(store, world);
  } finally {
    await store.stop();
  }
}

/**
 * The floor as the CLI can check it: against the drains in the bucket, every undrained region
 * counted as serving (the CLI does not read health; a `meridian dns` admin API does).
 */
export function fleetFloor(
  world: World,
  region: string,
  force: boolean,
  reason: string | undefined,
): (drains: Readonly<Record<string, DrainMark>>) => DrainFloorVerdict {
  return (drains) =>
    checkDrainFloor(
      world.regions.map((r) => ({
        name: r.name,
        drained: drains[r.name] !== undefined,
        serving: drains[r.name] === undefined,
      })),
      { region, ...(force ? { force } : {}), ...(reason ? { reason } : {}) },
      world.drain.minServing,
    );
}

/** The preview over the bucket's drains, every undrained region taken as up. */
export function fleetPreview(
  world: World,
  drains: Readonly<Record<string, DrainMark>>,
  region: string,
  force: boolean,
  reason: string | undefined,
) {
  let table = uniformHealthTable(
    world.regions.map((r) => r.name),
    'up',
    Date.now(),
  );
  for (const name of Object.keys(drains)) table = drainedTable(table, name);
  const policy = compileSteering(world, table, NO_OVERRIDES, { locator: new ClientLocator(world, null) });
  return previewDrain(
    policy,
    { region, ...(force ? { force } : {}), ...(reason ? { reason } : {}) },
    world.drain.minServing,
    Date.now(),
  );
}

export function record(
  action: OperatorRecord['action'],
  target: string,
  who: string,
  reason: string | undefined,
  forced = false,
): OperatorRecord {
  return { action, target, who, atMs: Date.now(), reason: reason ?? null, forced };
}

/** The fqdn of a hostname of the world (relative or absolute), or MERIDIAN_USAGE. */
export function hostnameFqdn(world: World, name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  const h = world.hostnames.find((x) => x.name === lower || x.fqdn === lower);
  if (!h) throw new MeridianError('MERIDIAN_USAGE', `"${name}" is not a hostname of ${world.zone}`);
  return h.fqdn;
}

/** Checks a rollout against the world; MERIDIAN_USAGE when the region is unknown. */
export function checkRollout(world: World, rollout: RolloutOverride): RolloutOverride {
  if (rollout && !world.regions.some((r) => r.name === rollout.region)) {
    throw new MeridianError(
      'MERIDIAN_USAGE',
      `rollout region "${rollout.region}" is not a region of ${world.zone}`,
    );
  }
  return rollout;
}
