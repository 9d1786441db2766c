// Home's view of real-user latency: folds beacon observations into one average per (client
// key, region) and turns them into the data of a latency snapshot. Pure: time comes with each
// observation and each snapshot call. Memory is bounded by `maxClients` (least recently
// updated client keys are forgotten first).
import type { BeaconObservation } from './beacon-report.js';
import type { LatencyEntry, LatencySnapshotData } from './latency-snapshot-data.js';
import { DEFAULT_RTT_WEIGHTS, foldRtt, type RttAverage, type RttAverageWeights } from './rtt-average.js';
import { DEFAULT_ORDER_TOLERANCE, type OrderTolerance, stableOrder } from './stable-order.js';

export interface RumSettings {
  /** Samples a (client, region) figure needs before it is published. Default 20. */
  readonly minSamples: number;
  /** A figure with no sample for this long is dropped. Default 1 hour. */
  readonly staleAfterMs: number;
  /** Client keys kept at most. Default 100 000. */
  readonly maxClients: number;
  readonly weights: RttAverageWeights;
  readonly tolerance: OrderTolerance;
}

export const DEFAULT_RUM_SETTINGS: RumSettings = Object.freeze({
  minSamples: 20,
  staleAfterMs: 3_600_000,
  maxClients: 100_000,
  weights: DEFAULT_RTT_WEIGHTS,
  tolerance: DEFAULT_ORDER_TOLERANCE,
});

export class RumAggregator {
  readonly settings: RumSettings;
  /** client key → region → average; Map order is least recently updated first. */
  readonly #clients = new Map<string, Map<string, RttAverage>>();
  /** client key → the order last published (hysteresis starts from it). */
  readonly #published = new Map<string, readonly string[]>();

  constructor(settings: Partial<RumSettings> = {}) {
    this.settings = Object.freeze({ ...DEFAULT_RUM_SETTINGS, ...settings });
  }

  /** Client keys held now. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Folds every sample of one observation. */
  add(obs: BeaconObservation): void {
    let regions = this.#clients.get(obs.clientKey);
    if (regions) this.#clients.delete(obs.clientKey);
    else {
      regions = new Map();
      while (this.#clients.size >= this.settings.maxClients) {
        const oldest = this.#clients.keys().next().value as string;
        this.#clients.delete(oldest);
        this.#published.delete(oldest);
      }
    }
    this.#clients.set(obs.clientKey, regions);
    for (const s of obs.samples)
      regions.set(s.region, foldRtt(regions.get(s.region), s.rttMs, obs.atMs, this.settings.weights));
  }

  /**
   * The data to publish at `nowMs`: per client key, the regions whose figure has at least
   * `minSamples` samples and a sample within `staleAfterMs`, in stable order. Stale figures and
   * emptied client keys are forgotten. Records the orders as published.
   */
  snapshot(nowMs: number): LatencySnapshotData {
    const { minSamples, staleAfterMs, tolerance } = this.settings;
    const clients: Record<string, LatencyEntry> = {};
    for (const [key, regions] of this.#clients) {
      const figures = new Map<string, number>();
      const rttMs: Record<string, number> = {};
      const samples: Record<string, number> = {};
      for (const [region, avg] of regions) {
        if (nowMs - avg.lastAtMs > staleAfterMs) {
          regions.delete(region);
          continue;
        }
        if (avg.samples < minSamples) continue;
        figures.set(region, avg.rttMs);
        rttMs[region] = Math.round(avg.rttMs * 10) / 10;
        samples[region] = avg.samples;
      }
      if (regions.size === 0) {
        this.#clients.delete(key);
        this.#published.delete(key);
        continue;
      }
      if (figures.size === 0) continue;
      const order = stableOrder(this.#published.get(key) ?? [], figures, tolerance);
      this.#published.set(key, order);
      clients[key] = { order, rttMs, samples };
    }
    return { minSamples, clients };
  }
}
