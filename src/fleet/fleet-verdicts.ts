// One verdict per region from many vantages: the latest observation per (vantage, region), the
// quorum over the fresh ones, then rise/fall on that aggregated verdict. Pure and deterministic:
// it sees only stream order and stream time, so every instance fed the same stream agrees.

import type { RegionHealth, RegionState } from '../health-table/index.js';
import { applyProbe, type FlapGuard, INITIAL_FLAP_GUARD } from '../monitor/index.js';
import type { Region, World } from '../world/index.js';
import type { FleetMatrix, RegionVerdict, VantageView } from './fleet-matrix.js';
import type { StoredObservation } from './observation.js';
import { type QuorumVerdict, quorumVerdict } from './quorum-verdict.js';

/** What `apply` did with an observation. */
export type ApplyResult =
  /** Stored and evaluated, and the region's state changed. */
  | 'changed'
  /** Stored (and evaluated unless told not to); the state did not change. */
  | 'applied'
  /** Its sequence is not after the last one applied: already seen (a redelivery). */
  | 'duplicate'
  /** From a vantage or about a region the world does not declare: not counted. */
  | 'ignored';

/** A region's state change, in the order the stream caused them. */
export interface FleetStateChange {
  readonly region: string;
  readonly from: RegionState;
  readonly to: RegionState;
  /** Stream time of the evaluation that changed it. */
  readonly atMs: number;
  readonly reason: string | null;
}

interface Latest {
  ok: boolean;
  reason: string | null;
  latencyMs: number;
  observedAtMs: number;
  seq: number;
}

interface Slot {
  region: Region;
  guard: FlapGuard;
  /** By vantage index. */
  views: (Latest | null)[];
  raw: QuorumVerdict;
  evaluatedAtMs: number | null;
  lastObservationAtMs: number | null;
  lastChangeAtMs: number | null;
  lastError: string | null;
}

/**
 * The fold of a fleet's observation stream into per-region verdicts.
 *
 * - `apply(o)` keeps `o` as its vantage's latest view of its region (in stream order: a
 *   sequence at or below the last one applied is a redelivery and is skipped), then evaluates
 *   that region at `o.streamTimeMs`: a vantage counts when its latest view is at most the
 *   region's `staleAfterMs` old at that time (age from the earlier of the prober's and the
 *   stream's clock, so an observation published late is not fresh); the quorum rule turns the
 *   fresh views into `up`, `down` or `none`; `up`/`down` steps the region's flap guard (monitor's
 *   rise/fall), `none` keeps the state (fail static, docs/decisions/0020).
 * - Nothing here reads a clock: evaluation time is stream time, so two instances fed the same
 *   observations in the same order hold the same verdicts. Only `matrix(nowMs)` looks at a
 *   local time, to show who is stale now.
 */
export class FleetVerdicts {
  #world: World;
  #slots: Slot[];
  #byRegion: Map<string, Slot>;
  #vantageIndex: Map<string, number>;
  #lastSequence = 0;
  #lastStreamTimeMs: number | null = null;
  #changes: FleetStateChange[] = [];

  constructor(world: World) {
    this.#world = world;
    this.#vantageIndex = new Map(world.vantages.map((v, i) => [v.name, i]));
    this.#slots = world.regions.map((region) => newSlot(region, world.vantages.length));
    this.#byRegion = new Map(this.#slots.map((s) => [s.region.name, s]));
  }

  /** Stream sequence of the last observation applied (0 before the first). */
  get lastSequence(): number {
    return this.#lastSequence;
  }

  /** Stream time of the last observation applied, or null. */
  get lastStreamTimeMs(): number | null {
    return this.#lastStreamTimeMs;
  }

  world(): World {
    return this.#world;
  }

  /**
   * Applies one observation in stream order. With `evaluate: false` it is only stored (a
   * consumer catching up on the latest views calls `settle()` once it has them all).
   */
  apply(o: StoredObservation, evaluate = true): ApplyResult {
    if (o.seq <= this.#lastSequence) return 'duplicate';
    this.#lastSequence = o.seq;
    this.#lastStreamTimeMs = o.streamTimeMs;
    const v = this.#vantageIndex.get(o.vantage);
    const slot = this.#byRegion.get(o.region);
    if (v === undefined || slot === undefined) return 'ignored';
    slot.views[v] = {
      ok: o.ok,
      reason: o.ok ? null : (o.reason ?? 'failed'),
      latencyMs: o.latencyMs,
      observedAtMs: Math.min(o.timeMs, o.streamTimeMs),
      seq: o.seq,
    };
    slot.lastObservationAtMs = o.streamTimeMs;
    if (!evaluate) return 'applied';
    return this.#evaluate(slot, o.streamTimeMs) ? 'changed' : 'applied';
  }

  /**
   * Evaluates every region once at the stream time of the last observation applied: after a
   * catch-up, each region's first verdict comes from all its latest views at once (from
   * `unknown` the first verdict decides), not from whichever vantage was replayed first.
   * Returns whether any state changed.
   */
  settle(): boolean {
    const at = this.#lastStreamTimeMs;
    if (at === null) return false;
    let changed = false;
    for (const slot of this.#slots) if (this.#evaluate(slot, at)) changed = true;
    return changed;
  }

  /**
   * Forgets the last sequence (keeping every view and state): the stream was deleted and made
   * again, and its sequences start over.
   */
  restartSequence(): void {
    this.#lastSequence = 0;
  }

  /** State changes since the last call, in order (and forgets them). */
  takeChanges(): FleetStateChange[] {
    const out = this.#changes;
    this.#changes = [];
    return out;
  }

  /**
   * Switches to a reloaded world. Regions and vantages kept (by name) keep their views, state
   * and run counts; new regions start unknown; removed ones are forgotten. Quorum, thresholds
   * and staleness bounds are the new world's from the next evaluation. Returns whether the
   * region list changed.
   */
  setWorld(world: World): boolean {
    const oldVantages = this.#world.vantages.map((v) => v.name);
    const vantageIndex = new Map(world.vantages.map((v, i) => [v.name, i]));
    const slots = world.regions.map((region) => {
      const old = this.#byRegion.get(region.name);
      if (!old) return newSlot(region, world.vantages.length);
      const views = world.vantages.map((v) => {
        const i = oldVantages.indexOf(v.name);
        return i === -1 ? null : (old.views[i] ?? null);
      });
      return { ...old, region, views };
    });
    const before = this.#slots.map((s) => s.region.name).join(',');
    this.#world = world;
    this.#vantageIndex = vantageIndex;
    this.#slots = slots;
    this.#byRegion = new Map(slots.map((s) => [s.region.name, s]));
    return before !== slots.map((s) => s.region.name).join(',');
  }

  /** Each region's entry of a HealthTable, in world order (drained: false; drains live elsewhere). */
  regionHealth(): RegionHealth[] {
    return this.#slots.map((s, index) =>
      Object.freeze({
        name: s.region.name,
        index,
        state: s.guard.state,
        drained: false,
        serving: s.guard.state === 'up',
        lastProbeAtMs: s.lastObservationAtMs,
        lastChangeAtMs: s.lastChangeAtMs,
        lastError: s.guard.state === 'up' ? null : s.lastError,
      }),
    );
  }

  /** The vantage × region matrix as of `nowMs` (who is fresh, stale, disagreeing now). */
  matrix(nowMs: number): FleetMatrix {
    const vantages = this.#world.vantages.map((v) => v.name);
    const regions: RegionVerdict[] = this.#slots.map((s) => {
      const bound = s.region.staleAfterMs;
      let fresh = 0;
      let up = 0;
      const stale: string[] = [];
      const disagreeing: string[] = [];
      const views: VantageView[] = vantages.map((vantage, i) => {
        const l = s.views[i] ?? null;
        const ageMs = l ? nowMs - l.observedAtMs : null;
        const isFresh = l !== null && ageMs! <= bound;
        if (isFresh) {
          fresh++;
          if (l.ok) up++;
          if ((s.guard.state === 'up' && !l.ok) || (s.guard.state === 'down' && l.ok))
            disagreeing.push(vantage);
        } else stale.push(vantage);
        return {
          vantage,
          ok: l?.ok ?? null,
          reason: l?.reason ?? null,
          latencyMs: l?.latencyMs ?? null,
          observedAtMs: l?.observedAtMs ?? null,
          ageMs,
          fresh: isFresh,
          seq: l?.seq ?? null,
        };
      });
      return {
        region: s.region.name,
        state: s.guard.state,
        serving: s.guard.state === 'up',
        raw: s.raw,
        evaluatedAtMs: s.evaluatedAtMs,
        lastChangeAtMs: s.lastChangeAtMs,
        lastError: s.guard.state === 'up' ? null : s.lastError,
        staleAfterMs: bound,
        freshVantages: fresh,
        upVantages: up,
        staleVantages: stale,
        failStatic: fresh === 0,
        disagreeing,
        views,
      };
    });
    return { quorum: this.#world.quorum, atMs: nowMs, lastSequence: this.#lastSequence, vantages, regions };
  }

  #evaluate(slot: Slot, atMs: number): boolean {
    const bound = slot.region.staleAfterMs;
    let fresh = 0;
    let up = 0;
    for (const l of slot.views) {
      if (l === null || atMs - l.observedAtMs > bound) continue;
      fresh++;
      if (l.ok) up++;
    }
    const raw = quorumVerdict(up, fresh, this.#world.quorum);
    slot.raw = raw;
    slot.evaluatedAtMs = atMs;
    if (raw === 'none') return false; // fail static: keep the last verdict
    if (raw === 'down')
      slot.lastError = downReason(
        slot,
        atMs,
        this.#world.vantages.map((v) => v.name),
        fresh,
      );
    const before = slot.guard.state;
    const { rise, fall } = slot.region.health;
    slot.guard = applyProbe(slot.guard, raw === 'up', { rise, fall });
    if (slot.guard.state === before) return false;
    slot.lastChangeAtMs = atMs;
    this.#changes.push({
      region: slot.region.name,
      from: before,
      to: slot.guard.state,
      atMs,
      reason: slot.guard.state === 'up' ? null : slot.lastError,
    });
    return true;
  }
}

function newSlot(region: Region, vantages: number): Slot {
  return {
    region,
    guard: INITIAL_FLAP_GUARD,
    views: Array.from({ length: vantages }, () => null),
    raw: 'none',
    evaluatedAtMs: null,
    lastObservationAtMs: null,
    lastChangeAtMs: null,
    lastError: null,
  };
}

/** `down from 2 of 3 vantages: london timeout; oregon ECONNREFUSED` (fresh failing views, by name). */
function downReason(slot: Slot, atMs: number, vantages: readonly string[], fresh: number): string {
  const failing: string[] = [];
  slot.views.forEach((l, i) => {
    if (l && !l.ok && atMs - l.observedAtMs <= slot.region.staleAfterMs)
      failing.push(`${vantages[i]} ${l.reason}`);
  });
  failing.sort();
  return `down from ${failing.length} of ${fresh} vantages: ${failing.join('; ')}`;
}
