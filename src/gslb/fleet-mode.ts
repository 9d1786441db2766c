// `meridian dns --nats`: health from the fleet's vantages (FleetHealthConsumer) and operator
// state from the fleet's bucket (OperatorStateStore) instead of this instance's own probes and
// in-memory drains. A HealthSource (decision 0022): the GSLB's SteeringPublisher follows it as it follows the monitor.
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import { type Clock, deepFreeze, MeridianError } from '../core/index.js';
import { defaultFleetName } from '../fleet/index.js';
import { FleetHealthConsumer } from '../fleet/io/index.js';
import type { HealthTable } from '../health-table/index.js';
import {
  checkDrainFloor,
  type DrainFloorVerdict,
  fleetSerial,
  nextSerial,
  type OperatorRecord,
  type OperatorState,
} from '../operator-state/index.js';
import { OperatorStateStore } from '../operator-state/io/index.js';
import { withRollouts } from '../policy/index.js';
import type { Rollout, World } from '../world/index.js';

/** Who asks for an operator change, and why. */
export interface FleetAsk {
  readonly who: string;
  readonly reason?: string;
  readonly force?: boolean;
}

export interface FleetModeOptions {
  readonly world: World;
  readonly servers: readonly string[];
  /** Default: the zone with dots as dashes, as `meridian probe` uses. */
  readonly fleet?: string;
  readonly clock: Clock;
  readonly registry: Registry;
  /** Called when the operator state changed (rollouts, serial): re-stamp the world. */
  readonly onOperatorState: (s: OperatorState) => void;
  /** Called when fail static starts or ends (TTLs capped or not). */
  readonly onFailStatic: (failStatic: boolean) => void;
  /** Called when re-evaluating fail static threw (it is tried again at the next check). */
  readonly onCheckError?: (err: unknown) => void;
  /** How often fail static is re-evaluated (default 250 ms). */
  readonly checkEveryMs?: number;
}

/** What `/v1/state` shows of the fleet. */
export interface FleetModeState {
  readonly fleet: string;
  readonly failStatic: boolean;
  readonly failStaticReasons: readonly string[];
  /** TTL cap in seconds while failing static (the staleness bound), else null. */
  readonly ttlCapSeconds: number | null;
  readonly health: ReturnType<FleetHealthConsumer['status']>;
  readonly operatorState: ReturnType<OperatorStateStore['status']>;
  readonly matrix: ReturnType<FleetHealthConsumer['matrix']>;
}

/** The TTL cap while failing static: the shortest staleness bound of the world's regions, ≥ 1 s. */
export function staleTtlCapSeconds(world: World): number {
  const ms = Math.min(...world.regions.map((r) => r.staleAfterMs));
  return Math.max(1, Math.floor(ms / 1000));
}

/** `world` with every hostname's TTL at most `capSeconds`. */
export function withTtlCap(world: World, capSeconds: number): World {
  return deepFreeze({
    ...world,
    hostnames: world.hostnames.map((h) => (h.ttlSeconds > capSeconds ? { ...h, ttlSeconds: capSeconds } : h)),
  });
}

/**
 * The health source of a fleet instance: the consumer's verdicts with the bucket's drains applied
 * (`drained`, `serving = up && !drained`). Same read API as HealthMonitor (`table`, `onChange`,
 * `setWorld`, `start`, `stop`), and nothing in it waits on NATS: with NATS away both keep their
 * last state, `failStatic()` says so and the caller caps TTLs.
 */
export class FleetMode {
  readonly fleet: string;
  readonly consumer: FleetHealthConsumer;
  readonly store: OperatorStateStore;
  readonly #opts: FleetModeOptions;
  readonly #listeners = new Set<(t: HealthTable) => void>();
  #table: HealthTable;
  #version = 0;
  #drainsKey = '';
  #failStatic = false;
  #healthReady = false;
  #reasons: string[] = [];
  #cancelCheck: (() => void) | null = null;
  #world: World;
  readonly #gauge: Gauge;
  #candidate: number | null = null;
  #serial: number | null = null;

  constructor(opts: FleetModeOptions) {
    this.#opts = opts;
    this.#world = opts.world;
    this.fleet = opts.fleet ?? defaultFleetName(opts.world);
    this.consumer = new FleetHealthConsumer({
      world: opts.world,
      servers: opts.servers,
      fleet: this.fleet,
      clock: opts.clock,
      registry: opts.registry,
      name: 'meridian-dns',
    });
    this.store = new OperatorStateStore({
      servers: opts.servers,
      fleet: this.fleet,
      clock: opts.clock,
      name: 'meridian-dns-operator-state',
      onChange: (s) => this.#onOperatorState(s),
    });
    this.#gauge = new Gauge({
      name: 'meridian_gslb_fleet_fail_static',
      help: '1 while answering from the last fleet state (NATS or the bucket unreachable), TTLs capped',
      registers: [opts.registry],
    });
    this.#table = this.#compose();
    this.consumer.onChange(() => this.#publish());
  }

  table(): HealthTable {
    return this.#table;
  }

  onChange(fn: (t: HealthTable) => void): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  setWorld(world: World): void {
    this.#world = world;
    this.consumer.setWorld(world);
    this.#publish();
  }

  start(): void {
    this.consumer.start();
    this.store.start();
    this.#check();
  }

  async stop(): Promise<void> {
    this.#cancelCheck?.();
    await Promise.all([this.consumer.stop(), this.store.stop()]);
  }

  /** Per-instance probes do not exist in fleet mode. */
  probeStatus(): never[] {
    return [];
  }

  get failStatic(): boolean {
    return this.#failStatic;
  }

  /** The fleet's serial for the state applied, or null before the bucket's epoch is known. */
  serial(): number | null {
    const s = this.store.state();
    return s.epochSeconds === null ? null : fleetSerial(s.epochSeconds, s.revision);
  }

  /** The rollout overrides of the bucket, as `withRollouts` takes them. */
  rollouts(): ReadonlyMap<string, Rollout | null> {
    return new Map(Object.entries(this.store.state().rollouts));
  }

  /**
   * Drains through the bucket: the floor is decided on this instance's verdicts and the drains in
   * the bucket as they are at the compare-and-set. Throws MERIDIAN_OPERATOR_STATE_UNAVAILABLE.
   */
  async drainChecked(
    region: string,
    ask: { force?: boolean; reason?: string },
    minServing: number,
    change: OperatorRecord,
  ): Promise<DrainFloorVerdict> {
    const { verdict } = await this.store.drain(
      region,
      (drains) =>
        checkDrainFloor(
          this.consumer.table().regions.map((r) => ({
            name: r.name,
            drained: drains[r.name] !== undefined,
            serving: r.state === 'up' && drains[r.name] === undefined,
          })),
          { region, ...(ask.force ? { force: true } : {}), ...(ask.reason ? { reason: ask.reason } : {}) },
          minServing,
        ),
      change,
    );
    return verdict;
  }

  /**
   * The world to serve for the file's `raw` world: the bucket's rollout overrides, the fleet
   * serial (moved forward only when the bucket's revision did, so instances agree; `fallback`
   * until the bucket is known; the file's own `dns.serial` wins), TTLs capped while failing static.
   */
  served(raw: World, fallbackSerial: number | undefined): World {
    let w = withRollouts(raw, this.rollouts());
    const candidate = this.serial();
    if (w.dns.serial === undefined) {
      if (candidate !== null && candidate !== this.#candidate) {
        this.#candidate = candidate;
        this.#serial = nextSerial(this.#serial, candidate);
      }
      const serial = this.#serial ?? fallbackSerial;
      if (serial !== undefined) w = { ...w, dns: { ...w.dns, serial } };
    }
    return this.#failStatic ? withTtlCap(w, staleTtlCapSeconds(w)) : w;
  }

  /** True when `world` is served with the fleet's serial. */
  servesFleetSerial(world: World): boolean {
    return this.#serial !== null && world.dns.serial === this.#serial;
  }

  /** Records `hash` as the fleet's world once the bucket is read (moves the fleet serial); errors go to `onError`. */
  adoptWorld(hash: string, who: string, onError: (err: unknown) => void): void {
    void this.store
      .whenCaughtUp()
      .then(() => this.store.adoptWorld(hash, who))
      .catch(onError);
  }

  /** A drain of a region of `world` under its floor, through the bucket. */
  async drain(world: World, region: string, ask: FleetAsk): Promise<DrainFloorVerdict> {
    if (!world.regions.some((r) => r.name === region)) return checkDrainFloor([], { region }, 0);
    return this.drainChecked(region, ask, world.drain.minServing, this.#change('drain', region, ask));
  }

  async undrain(world: World, region: string, ask: FleetAsk): Promise<void> {
    if (!world.regions.some((r) => r.name === region))
      throw new MeridianError('MERIDIAN_MONITOR_UNKNOWN_REGION', `"${region}" is not a region of the world`);
    await this.store.undrain(region, this.#change('undrain', region, ask));
  }

  /** A rollout override of hostname `fqdn` (already resolved) for the whole fleet. */
  async setRollout(world: World, fqdn: string, rollout: Rollout | null, ask: FleetAsk): Promise<void> {
    if (rollout && !world.regions.some((r) => r.name === rollout.region))
      throw new MeridianError(
        'MERIDIAN_GSLB_BAD_ROLLOUT',
        `rollout region "${rollout.region}" is not a region of the world`,
      );
    await this.store.setRollout(fqdn, rollout, this.#change('rollout', fqdn, ask));
  }

  #change(action: OperatorRecord['action'], target: string, ask: FleetAsk): OperatorRecord {
    return {
      action,
      target,
      who: ask.who,
      atMs: this.#opts.clock.now(),
      reason: ask.reason ?? null,
      forced: false,
    };
  }

  state(nowMs = this.#opts.clock.now()): FleetModeState {
    return {
      fleet: this.fleet,
      failStatic: this.#failStatic,
      failStaticReasons: this.#reasons,
      ttlCapSeconds: this.#failStatic ? staleTtlCapSeconds(this.#world) : null,
      health: this.consumer.status(),
      operatorState: this.store.status(),
      matrix: this.consumer.matrix(nowMs),
    };
  }

  #onOperatorState(s: OperatorState): void {
    const key = JSON.stringify(Object.keys(s.drains).sort());
    if (key !== this.#drainsKey) {
      this.#drainsKey = key;
      this.#publish();
    }
    this.#opts.onOperatorState(s);
  }

  #compose(): HealthTable {
    const base = this.consumer.table();
    const drains = this.store.state().drains;
    this.#version += 1;
    return Object.freeze({
      version: this.#version,
      publishedAtMs: base.publishedAtMs,
      regions: Object.freeze(
        base.regions.map((r) => {
          const drained = drains[r.name] !== undefined;
          return Object.freeze({ ...r, drained, serving: r.state === 'up' && !drained });
        }),
      ),
    });
  }

  #publish(): void {
    this.#table = this.#compose();
    for (const fn of this.#listeners) fn(this.#table);
  }

  #check(): void {
    try {
      this.#evaluate();
    } catch (err) {
      this.#opts.onCheckError?.(err);
    } finally {
      this.#cancelCheck = this.#opts.clock.setTimeout(() => this.#check(), this.#opts.checkEveryMs ?? 250);
    }
  }

  #evaluate(): void {
    const reasons: string[] = [];
    const h = this.consumer.status();
    const o = this.store.status();
    // caught up once is enough: a consumer re-attaching after a missed heartbeat still has the
    // state it read, and NATS itself answers (a lost connection is what fail static is about)
    this.#healthReady ||= h.caughtUp || h.lastMessageAtMs !== null;
    if (!h.connected) reasons.push('health: NATS not connected');
    else if (!this.#healthReady) reasons.push('health: not caught up with the stream yet');
    if (!o.connected) reasons.push('operator state: NATS not connected');
    else if (!o.caughtUp) reasons.push('operator state: not caught up with the bucket yet');
    const failStatic = reasons.length > 0;
    this.#reasons = reasons;
    if (failStatic !== this.#failStatic) {
      this.#failStatic = failStatic;
      this.#gauge.set(failStatic ? 1 : 0);
      this.#opts.onFailStatic(failStatic);
    }
  }
}
