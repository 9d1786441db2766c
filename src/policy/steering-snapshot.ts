// One immutable steering snapshot: a world, the health table of that world and the runtime
// overrides, compiled once; every per-query step of steering (locate the client, rollout side,
// ECS scope) and the cached decisions per (hostname, location class, rollout side).
import { MeridianError, type Random, systemRandom } from '../core/index.js';
import { estimateRttMs } from '../geo/index.js';
import { type HealthTable, tableMatchesWorld } from '../health-table/index.js';
import type { World } from '../world/index.js';
import { answerTtlSeconds } from './answer-ttl.js';
import type { ClientClassification } from './client-classification.js';
import { ClientLocator, type GeoLookup } from './client-locator.js';
import { PIPELINE, type StageContext } from './pipeline.js';
import {
  hostnameSeed,
  ROLLOUT_BUCKETS,
  ROLLOUT_PREFIX_V4,
  ROLLOUT_PREFIX_V6,
  rolloutBucket,
} from './rollout-bucket.js';
import { NO_OVERRIDES, type SteeringOverrides, withRollouts } from './steering-overrides.js';

/** What to answer: region indices in answer order. */
export interface PolicyDecision {
  readonly regions: readonly number[];
  /** No candidate was serving and `whenAllDown` chose the answer. */
  readonly allDown: boolean;
  readonly ttlSeconds: number;
  /**
   * Why (decision log, decision 0031): `rollout-in` | `rollout-out`, `drained:<region>` and
   * `down:<region>` for candidates the healthy stage removed, `all-down`, and how the answer was
   * ordered: `ordered-by:table` (the world's latency table gave the figure) | `ordered-by:model`
   * (great-circle model) | `ordered-by:rum` (reserved). Computed once per cached decision.
   */
  readonly reasons: readonly string[];
}

/** One stage of a decision, for `explain`. */
export interface StageTrace {
  readonly stage: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly notes: readonly string[];
}

/** Per-hostname facts the query path needs without looking at the world again. */
export interface CompiledHostname {
  readonly index: number;
  readonly seed: number;
  readonly ttlSeconds: number;
  /** Whether answers depend on where the client is (ECS scope > 0). */
  readonly locationDependent: boolean;
  /** Basis points of a partial rollout (0 < bp < 10 000), else -1. */
  readonly rolloutBasisPoints: number;
  /** The side of clients when there is no partial rollout (true at 100 %). */
  readonly rolloutFull: boolean;
  readonly rolloutSticky: boolean;
}

/**
 * The client subnet a query carried (EDNS Client Subnet, RFC 7871), read in place from the
 * decoded query (`DnsQuery` has these fields): `ecsFamily` is the option's address family
 * number (1 IPv4, 2 IPv6); a source prefix of 0 says "do not use my address".
 */
export interface ClientSubnet {
  readonly ecs: boolean;
  readonly ecsFamily: number;
  readonly ecsAddress: Uint8Array;
  readonly ecsSourcePrefix: number;
}

/** The address a query came from. */
export interface SourceAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** How a snapshot locates clients and flips non-sticky rollout coins. */
export interface SteeringOptions {
  /** Must locate by this world's networks (see `ClientLocator.build`); default: built here. */
  readonly locator?: ClientLocator;
  /** GeoIP for a locator built here. */
  readonly geo?: GeoLookup | null;
  /** Coin flips of non-sticky rollouts (default `systemRandom`). */
  readonly random?: Random;
}

/** The steering of one (world, health table, overrides). Build with `compileSteering`. */
export class SteeringSnapshot {
  /** The world as loaded from the file: the zone is compiled from it, per world. */
  readonly baseWorld: World;
  /** `baseWorld` with the overrides applied: what steering answers from. */
  readonly world: World;
  readonly health: HealthTable;
  readonly overrides: SteeringOverrides;
  readonly locator: ClientLocator;
  readonly random: Random;
  readonly hostnames: readonly CompiledHostname[];
  readonly #cache: (PolicyDecision | undefined)[][];

  constructor(
    baseWorld: World,
    health: HealthTable,
    overrides: SteeringOverrides,
    locator: ClientLocator,
    random: Random,
  ) {
    if (!tableMatchesWorld(health, baseWorld)) {
      throw new MeridianError(
        'MERIDIAN_POLICY_HEALTH_MISMATCH',
        `the health table (version ${health.version}: ${health.regions.map((r) => r.name).join(', ')}) does not describe the regions of world ${baseWorld.hash.slice(0, 12)} (${baseWorld.regions.map((r) => r.name).join(', ')})`,
      );
    }
    const world = withRollouts(baseWorld, overrides.rollouts);
    this.baseWorld = baseWorld;
    this.world = world;
    this.health = health;
    this.overrides = overrides;
    this.locator = locator;
    this.random = random;
    this.hostnames = world.hostnames.map((h, index) => {
      const bp = h.rollout?.basisPoints ?? -1;
      return {
        index,
        seed: hostnameSeed(h.fqdn),
        ttlSeconds: answerTtlSeconds(world, h),
        locationDependent: h.policy === 'latency' && h.candidates.length > 1,
        rolloutBasisPoints: bp > 0 && bp < ROLLOUT_BUCKETS ? bp : -1,
        rolloutFull: bp >= ROLLOUT_BUCKETS,
        rolloutSticky: h.rollout?.sticky ?? true,
      };
    });
    this.#cache = world.hostnames.flatMap(() => [[], []]);
  }

  /**
   * Classifies the client of a query for hostname `hostIndex` into `out`: located by the ECS
   * subnet when the query carries one with a source prefix, else by the source address; its
   * rollout side (sticky bucket of its subnet, or a coin flip); and the ECS scope to echo (0
   * without ECS). Only the steps the hostname's answers depend on run.
   */
  classify(hostIndex: number, subnet: ClientSubnet, source: SourceAddress, out: ClientClassification): void {
    const h = this.hostnames[hostIndex]!;
    out.classId = 0;
    out.scope = 0;
    out.inRollout = h.rolloutFull;
    if (!h.locationDependent && h.rolloutBasisPoints < 0) return;
    const fromEcs = subnet.ecs && subnet.ecsSourcePrefix > 0;
    let family: 4 | 6;
    let bytes: Uint8Array;
    let prefix: number;
    if (fromEcs) {
      family = subnet.ecsFamily === 1 ? 4 : 6;
      bytes = subnet.ecsAddress;
      prefix = subnet.ecsSourcePrefix;
    } else {
      family = source.family;
      bytes = source.bytes;
      prefix = family === 4 ? 32 : 128;
    }
    if (h.locationDependent) this.locator.locate(family, bytes, prefix, out);
    if (h.rolloutBasisPoints > 0) {
      out.inRollout = h.rolloutSticky
        ? rolloutBucket(family, bytes, prefix, h.seed) < h.rolloutBasisPoints
        : this.random.next() * ROLLOUT_BUCKETS < h.rolloutBasisPoints;
    }
    out.scope = fromEcs ? answerScope(h, family, out.scope) : 0;
  }

  /** The decision for a hostname (index into `world.hostnames`) and client class; cached. */
  decide(hostIndex: number, classId: number, inRollout: boolean): PolicyDecision {
    const row = this.#cache[hostIndex * 2 + (inRollout ? 1 : 0)];
    if (!row) throw new RangeError(`no hostname #${hostIndex}`);
    const hit = row[classId];
    if (hit) return hit;
    const made = this.#run(hostIndex, classId, inRollout, null);
    row[classId] = made;
    return made;
  }

  /** The decision with every stage's input and output (region names). Not cached. */
  trace(
    hostIndex: number,
    classId: number,
    inRollout: boolean,
  ): { decision: PolicyDecision; stages: StageTrace[] } {
    const stages: StageTrace[] = [];
    const decision = this.#run(hostIndex, classId, inRollout, stages);
    return { decision, stages };
  }

  #run(hostIndex: number, classId: number, inRollout: boolean, trace: StageTrace[] | null): PolicyDecision {
    const world = this.world;
    const hostname = world.hostnames[hostIndex];
    const compiled = this.hostnames[hostIndex];
    const cls = this.locator.classes[classId] ?? this.locator.classes[0];
    if (!hostname || !compiled || !cls)
      throw new RangeError(`no hostname #${hostIndex} or class #${classId}`);
    const notes = new Map<string, string[]>();
    const latency = cls.network ? world.latency[cls.network] : undefined;
    const ctx: StageContext = {
      world,
      hostname,
      health: this.health,
      inRollout,
      network: cls.network,
      location: cls.location,
      rttMs(i) {
        const region = world.regions[i];
        if (!region) return Number.POSITIVE_INFINITY;
        return latency?.[region.name] ?? estimateRttMs(cls.location, region.location);
      },
      allDown: false,
      note(stage, text) {
        if (!trace) return;
        const list = notes.get(stage) ?? [];
        list.push(text);
        notes.set(stage, list);
      },
    };
    let regions: readonly number[] = [];
    for (const stage of PIPELINE) {
      const input = regions;
      regions = stage.run(input, ctx);
      if (trace) {
        const name = (i: number) => world.regions[i]?.name ?? `#${i}`;
        trace.push({
          stage: stage.name,
          input: input.map(name),
          output: regions.map(name),
          notes: notes.get(stage.name) ?? [],
        });
      }
    }
    return Object.freeze({
      regions: Object.freeze([...regions]),
      allDown: ctx.allDown,
      ttlSeconds: compiled.ttlSeconds,
      reasons: Object.freeze(
        decisionReasons(world, hostname, this.health, inRollout, ctx.allDown, latency, regions),
      ),
    });
  }
}

/** The reason codes of a decision (see `PolicyDecision.reasons`). */
function decisionReasons(
  world: World,
  hostname: World['hostnames'][number],
  health: HealthTable,
  inRollout: boolean,
  allDown: boolean,
  latency: Readonly<Record<string, number>> | undefined,
  regions: readonly number[],
): string[] {
  const out: string[] = [];
  if (hostname.rollout) out.push(inRollout ? 'rollout-in' : 'rollout-out');
  if (hostname.policy !== 'home') {
    for (const name of hostname.candidates) {
      const r = world.regions.find((x) => x.name === name);
      const h = r ? health.regions[r.index] : undefined;
      if (!h || h.serving) continue;
      out.push(h.drained ? `drained:${name}` : `down:${name}`);
    }
  }
  if (allDown) out.push('all-down');
  if (hostname.policy === 'latency' && hostname.candidates.length > 1) {
    const first = world.regions[regions[0] ?? -1];
    out.push(first && latency?.[first.name] !== undefined ? 'ordered-by:table' : 'ordered-by:model');
  }
  return out;
}

/**
 * The ECS scope prefix length of an answer: the locator's scope when the answer depends on
 * location, widened to the rollout subnet (/24, /56) when a sticky partial rollout applies.
 */
export function answerScope(h: CompiledHostname, family: 4 | 6, locatorScope: number): number {
  let scope = h.locationDependent ? locatorScope : 0;
  if (h.rolloutBasisPoints > 0 && h.rolloutSticky) {
    scope = Math.max(scope, family === 4 ? ROLLOUT_PREFIX_V4 : ROLLOUT_PREFIX_V6);
  }
  return scope;
}

/**
 * Compiles a world, a health table of that world and the runtime overrides into one snapshot;
 * call again for each new table, world or override. Throws `MERIDIAN_POLICY_HEALTH_MISMATCH`
 * when the table does not describe the world's regions (`tableMatchesWorld`).
 */
export function compileSteering(
  world: World,
  health: HealthTable,
  overrides: SteeringOverrides = NO_OVERRIDES,
  options: SteeringOptions = {},
): SteeringSnapshot {
  const locator = options.locator ?? new ClientLocator(world, options.geo ?? null);
  return new SteeringSnapshot(world, health, overrides, locator, options.random ?? systemRandom);
}
