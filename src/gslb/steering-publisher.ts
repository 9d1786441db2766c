// The one owner of what steers answers: pairs the world, the health table of that world and the
// runtime overrides, and publishes each matching triple as one SteeringSnapshot. The seam where
// health enters steering: any HealthSource (the monitor now, the fleet next) feeds it.
import type { Random } from '../core/index.js';
import { type HealthSource, type HealthTable, tableMatchesWorld } from '../health-table/index.js';
import {
  ClientLocator,
  compileSteering,
  type GeoLookup,
  NO_OVERRIDES,
  type SteeringOverrides,
  type SteeringSnapshot,
} from '../policy/index.js';
import type { Rollout, World } from '../world/index.js';

export interface SteeringPublisherOptions {
  /** The world as loaded from the file. */
  world: World;
  /** A health table of `world` (`tableMatchesWorld`); throws MERIDIAN_POLICY_HEALTH_MISMATCH if not. */
  health: HealthTable;
  /** Locates by `world`'s networks; built from `world` and `geo` when omitted. */
  locator?: ClientLocator;
  geo?: GeoLookup | null;
  /** Coin flips of non-sticky rollouts. */
  random?: Random;
}

/**
 * Holds the latest world, health table and overrides, and publishes a new `SteeringSnapshot`
 * whenever one of them changes and the table describes the world's regions. A world and a table
 * that do not match (a reload's new world before its health source has caught up, or the reverse)
 * wait for their other half: the published snapshot never pairs a world with another world's
 * table, and nothing has to be paused while they are swapped.
 */
export class SteeringPublisher {
  readonly #geo: GeoLookup | null;
  readonly #random: Random | undefined;
  readonly #listeners = new Set<(s: SteeringSnapshot) => void>();
  #world: World;
  #locator: ClientLocator;
  #health: HealthTable;
  #overrides: SteeringOverrides = NO_OVERRIDES;
  #current: SteeringSnapshot;

  constructor(opts: SteeringPublisherOptions) {
    this.#geo = opts.geo ?? null;
    this.#random = opts.random;
    this.#world = opts.world;
    this.#locator = opts.locator ?? new ClientLocator(opts.world, this.#geo);
    this.#health = opts.health;
    this.#current = this.#compile();
  }

  /** The snapshot published last. */
  get current(): SteeringSnapshot {
    return this.#current;
  }

  /** True while the latest world and the latest health table do not match (one is awaited). */
  get pending(): boolean {
    return this.#current.baseWorld !== this.#world || this.#current.health !== this.#health;
  }

  /** Calls `listener` with every snapshot published from now on; returns the unsubscribe. */
  subscribe(listener: (s: SteeringSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A new health table from a health source; true when it is the one published now (it matches
   * the world). The table already published is not compiled again (its answer cache is kept).
   */
  offerHealth(table: HealthTable): boolean {
    if (table === this.#health && !this.pending) return true;
    this.#health = table;
    return this.#publish();
  }

  /** Offers `source`'s current table, then every table it publishes; returns the unsubscribe. */
  follow(source: HealthSource): () => void {
    this.offerHealth(source.table());
    return source.onChange((t) => this.offerHealth(t));
  }

  /**
   * A new world from the file (validated), with a locator of its networks. Clears the runtime
   * overrides (the file is the truth again). Published at once when the latest table matches
   * its regions, else as soon as its health source hands over one that does.
   */
  setWorld(world: World, locator: ClientLocator = new ClientLocator(world, this.#geo)): boolean {
    this.#world = world;
    this.#locator = locator;
    this.#overrides = NO_OVERRIDES;
    return this.#publish();
  }

  /** Overrides a hostname's rollout (FQDN) until the next world; null removes its rollout. */
  setRollout(fqdn: string, rollout: Rollout | null): boolean {
    const rollouts = new Map(this.#overrides.rollouts);
    rollouts.set(fqdn, rollout);
    this.#overrides = Object.freeze({ rollouts });
    return this.#publish();
  }

  #publish(): boolean {
    if (!tableMatchesWorld(this.#health, this.#world)) return false;
    this.#current = this.#compile();
    for (const listener of this.#listeners) listener(this.#current);
    return true;
  }

  #compile(): SteeringSnapshot {
    return compileSteering(this.#world, this.#health, this.#overrides, {
      locator: this.#locator,
      ...(this.#random ? { random: this.#random } : {}),
    });
  }
}
