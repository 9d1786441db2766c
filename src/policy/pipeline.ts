// The steering pipeline, in order: candidates → rollout split → healthy → order → first N.
// This list is the one place the order lives; a `SteeringSnapshot` runs it once per
// (hostname, location class, rollout side), never per query.
import type { Coordinates } from '../geo/index.js';
import type { HealthTable } from '../health-table/index.js';
import type { Hostname, World } from '../world/index.js';

/** Everything a stage may look at. Region lists are region indices into `world.regions`. */
export interface StageContext {
  readonly world: World;
  readonly hostname: Hostname;
  /** The health table of this world: `health.regions[i]` is `world.regions[i]`. */
  readonly health: HealthTable;
  /** True when the client falls inside the hostname's rollout share. */
  readonly inRollout: boolean;
  /** The client's network name (key into `world.latency`), if located by `networks`. */
  readonly network: string | null;
  readonly location: Coordinates;
  /** Client → region round-trip time in ms (measured table, else great-circle model). */
  rttMs(region: number): number;
  /** Set by the `healthy` stage when no candidate was serving and `whenAllDown` applied. */
  allDown: boolean;
  /** Why a stage did what it did, for `explain`. */
  note(stage: string, text: string): void;
}

export interface Stage {
  readonly name: string;
  run(candidates: readonly number[], ctx: StageContext): readonly number[];
}

/** All regions running the hostname's workload (failover: in the declared order). */
export const candidatesStage: Stage = {
  name: 'candidates',
  run(_input, ctx) {
    const out: number[] = [];
    for (const name of ctx.hostname.candidates) {
      const r = ctx.world.regions.find((x) => x.name === name);
      if (r) out.push(r.index);
    }
    return out;
  },
};

/** Clients outside the rollout share get the set without the rollout region. */
export const rolloutSplitStage: Stage = {
  name: 'rollout-split',
  run(input, ctx) {
    const rollout = ctx.hostname.rollout;
    if (!rollout) return input;
    ctx.note(
      'rollout-split',
      `${rollout.region} at ${rollout.basisPoints / 100} %: client is ${ctx.inRollout ? 'in' : 'out'}`,
    );
    if (ctx.inRollout) return input;
    return input.filter((i) => ctx.world.regions[i]?.name !== rollout.region);
  },
};

/** Serving regions only; when none is, `whenAllDown` decides (home | all | none). */
export const healthyStage: Stage = {
  name: 'healthy',
  run(input, ctx) {
    if (ctx.hostname.policy === 'home') return input;
    const out = input.filter((i) => ctx.health.regions[i]?.serving === true);
    if (out.length > 0 || input.length === 0) return out;
    ctx.allDown = true;
    const mode = ctx.hostname.whenAllDown;
    ctx.note('healthy', `no candidate is serving: whenAllDown=${mode}`);
    if (mode === 'all') return input;
    if (mode === 'none') return [];
    const home = ctx.world.regions.find((r) => r.isHome);
    return home ? [home.index] : [];
  },
};

/** latency: nearest first (ties by world order); failover: declared order; home: as is. */
export const orderStage: Stage = {
  name: 'order',
  run(input, ctx) {
    if (ctx.hostname.policy !== 'latency') return input;
    const keyed = input.map((i) => ({ i, rtt: ctx.rttMs(i) }));
    keyed.sort((a, b) => a.rtt - b.rtt || a.i - b.i);
    ctx.note('order', keyed.map((k) => `${ctx.world.regions[k.i]?.name} ${k.rtt.toFixed(1)} ms`).join(', '));
    return keyed.map((k) => k.i);
  },
};

/** The first `answers` regions. */
export const firstNStage: Stage = {
  name: 'first-n',
  run(input, ctx) {
    return input.slice(0, ctx.hostname.answers);
  },
};

/** The pipeline, in order. */
export const PIPELINE: readonly Stage[] = [
  candidatesStage,
  rolloutSplitStage,
  healthyStage,
  orderStage,
  firstNStage,
];
