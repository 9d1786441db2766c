// A world + health table compiled into cached decisions: one per (hostname, location class,
// rollout side), computed on first use and reused until the next health table or world.
import { estimateRttMs } from '../geo/index.js';
import type { HealthTable } from '../health-table/index.js';
import type { World } from '../world/index.js';
import { answerTtlSeconds } from './answer-ttl.js';
import type { ClientLocator } from './client-locator.js';
import { PIPELINE, type StageContext } from './pipeline.js';
import { hostnameSeed, ROLLOUT_PREFIX_V4, ROLLOUT_PREFIX_V6 } from './rollout-bucket.js';

/** What to answer: region indices in answer order. */
export interface PolicyDecision {
  readonly regions: readonly number[];
  /** No candidate was serving and `whenAllDown` chose the answer. */
  readonly allDown: boolean;
  readonly ttlSeconds: number;
}

/** One stage of a decision, for `explain`. */
export interface StageTrace {
  readonly stage: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly notes: readonly string[];
}

/** Per-hostname facts the answer path needs without looking at the world again. */
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

/** The policy of one world under one health table. Build with `compilePolicy`. */
export class CompiledPolicy {
  readonly world: World;
  readonly health: HealthTable;
  readonly locator: ClientLocator;
  readonly hostnames: readonly CompiledHostname[];
  readonly #cache: (PolicyDecision | undefined)[][];

  constructor(world: World, health: HealthTable, locator: ClientLocator) {
    this.world = world;
    this.health = health;
    this.locator = locator;
    this.hostnames = world.hostnames.map((h, index) => {
      const bp = h.rollout?.basisPoints ?? -1;
      return {
        index,
        seed: hostnameSeed(h.fqdn),
        ttlSeconds: answerTtlSeconds(world, h),
        locationDependent: h.policy === 'latency' && h.candidates.length > 1,
        rolloutBasisPoints: bp > 0 && bp < 10_000 ? bp : -1,
        rolloutFull: bp >= 10_000,
        rolloutSticky: h.rollout?.sticky ?? true,
      };
    });
    this.#cache = world.hostnames.flatMap(() => [[], []]);
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
    });
  }
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

/** Compiles a world under a health table; call again for each new table or world. */
export function compilePolicy(world: World, health: HealthTable, locator: ClientLocator): CompiledPolicy {
  return new CompiledPolicy(world, health, locator);
}
