// The vantage × region matrix: each region's verdict, each vantage's view of it, who is stale
// and who disagrees. What `/v1/state` and the metrics show of the fleet's health.
import type { RegionState } from '../health-table/index.js';
import type { Quorum } from '../world/index.js';
import type { QuorumVerdict } from './quorum-verdict.js';

/** One vantage's latest view of one region. */
export interface VantageView {
  readonly vantage: string;
  /** The latest observation's result; null when this vantage never reported the region. */
  readonly ok: boolean | null;
  readonly reason: string | null;
  readonly latencyMs: number | null;
  /** When it was observed: the earlier of the prober's and the stream's clock (ms). */
  readonly observedAtMs: number | null;
  /** Age at the matrix's time; null when never observed. */
  readonly ageMs: number | null;
  /** Counted in the quorum at the matrix's time (observed, and not older than `staleAfterMs`). */
  readonly fresh: boolean;
  /** Stream sequence of the latest observation. */
  readonly seq: number | null;
}

/** One region's verdict and the views it came from. */
export interface RegionVerdict {
  readonly region: string;
  /** After rise/fall on the aggregated verdict; `unknown` until the first verdict. */
  readonly state: RegionState;
  /** `state === 'up'`: drains are operator state, applied where steering reads health. */
  readonly serving: boolean;
  /** The quorum verdict of the last evaluation (at its observation's stream time). */
  readonly raw: QuorumVerdict;
  readonly evaluatedAtMs: number | null;
  readonly lastChangeAtMs: number | null;
  /** Why the region is down (the failing vantages and their reasons), or null. */
  readonly lastError: string | null;
  readonly staleAfterMs: number;
  /** Fresh vantages at the matrix's time, and how many of them see the region up. */
  readonly freshVantages: number;
  readonly upVantages: number;
  /** Declared vantages left out of the quorum at the matrix's time: too old, or never heard. */
  readonly staleVantages: readonly string[];
  /** No fresh vantage at the matrix's time: the state is the last verdict, kept (fail static). */
  readonly failStatic: boolean;
  /** Fresh vantages whose view is not the region's state (the blackholed path, say). */
  readonly disagreeing: readonly string[];
  /** One view per declared vantage, in world order. */
  readonly views: readonly VantageView[];
}

/** Every region's verdict as of `atMs` (local clock) and `lastSequence` (the stream). */
export interface FleetMatrix {
  readonly quorum: Quorum;
  readonly atMs: number;
  /** Stream sequence of the last observation applied (0 before the first). */
  readonly lastSequence: number;
  readonly vantages: readonly string[];
  readonly regions: readonly RegionVerdict[];
}
