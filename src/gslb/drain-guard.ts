// The admin side of drains: the floor (drain.minServing) before a drain, a preview that changes
// nothing, and a record of who drained, undrained or forced what, when and why.
import type { Clock } from '../core/index.js';
import { checkDrainFloor, type DrainFloorVerdict, type OperatorRecord } from '../operator-state/index.js';
import type { SteeringSnapshot } from '../policy/index.js';
import type { World } from '../world/index.js';
import { type DrainPreview, previewDrain } from './drain-preview.js';

/** How many operator records the guard keeps in memory (the fleet keeps all in its KV history). */
export const OPERATOR_RECORDS_KEPT = 200;

export interface DrainAsk {
  readonly force?: boolean;
  readonly reason?: string;
  readonly who: string;
}

export interface DrainGuardDeps {
  readonly world: () => World;
  /** The steering answering now (its health table is the one the floor reads). */
  readonly steering: () => SteeringSnapshot;
  readonly drain: (region: string) => void;
  readonly undrain: (region: string) => void;
  readonly clock: Clock;
  readonly onRecord?: (r: OperatorRecord) => void;
}

export class DrainGuard {
  readonly #deps: DrainGuardDeps;
  readonly #records: OperatorRecord[] = [];

  constructor(deps: DrainGuardDeps) {
    this.#deps = deps;
  }

  /** Drains `region` when the floor allows it (or it is forced with a reason); refused: nothing changes. */
  drain(region: string, ask: DrainAsk): DrainFloorVerdict {
    const verdict = checkDrainFloor(
      this.#deps.steering().health.regions,
      { region, ...(ask.force ? { force: true } : {}), ...(ask.reason ? { reason: ask.reason } : {}) },
      this.#deps.world().drain.minServing,
    );
    if (!verdict.ok || verdict.rule === 'already-drained') return verdict;
    this.#deps.drain(region);
    this.#record({
      action: 'drain',
      target: region,
      who: ask.who,
      reason: ask.reason ?? null,
      forced: verdict.forced,
    });
    return verdict;
  }

  undrain(region: string, ask: Omit<DrainAsk, 'force'>): void {
    this.#deps.undrain(region);
    this.#record({
      action: 'undrain',
      target: region,
      who: ask.who,
      reason: ask.reason ?? null,
      forced: false,
    });
  }

  /** What draining `region` would do now; changes nothing. */
  preview(region: string, ask: Omit<DrainAsk, 'who'>): DrainPreview {
    return previewDrain(
      this.#deps.steering(),
      { region, ...(ask.force ? { force: true } : {}), ...(ask.reason ? { reason: ask.reason } : {}) },
      this.#deps.world().drain.minServing,
      this.#deps.clock.now(),
    );
  }

  /** The latest records, oldest first. */
  records(): readonly OperatorRecord[] {
    return [...this.#records];
  }

  /** Records an operator action made elsewhere (a rollout override), stamped now. */
  record(r: Omit<OperatorRecord, 'atMs'>): void {
    this.#record(r);
  }

  #record(r: Omit<OperatorRecord, 'atMs'>): void {
    const rec: OperatorRecord = { ...r, atMs: this.#deps.clock.now() };
    this.#records.push(rec);
    if (this.#records.length > OPERATOR_RECORDS_KEPT) this.#records.shift();
    this.#deps.onRecord?.(rec);
  }
}
