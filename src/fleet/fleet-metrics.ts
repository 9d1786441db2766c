// The fleet consumer's Prometheus metrics: the vantage × region matrix as gauges, plus counters.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FleetMatrix } from './fleet-matrix.js';

/** The metric handles one FleetHealthConsumer updates. Registering twice on one registry throws. */
export class FleetMetrics {
  readonly observations: Counter<'result'>;
  readonly stateChanges: Counter<'region' | 'to'>;
  readonly restarts: Counter;
  readonly gaps: Counter;
  readonly connected: Gauge;
  readonly lastSequence: Gauge;
  readonly tableVersion: Gauge;
  readonly serving: Gauge<'region'>;
  readonly freshVantages: Gauge<'region'>;
  readonly disagreeing: Gauge<'region'>;
  readonly failStatic: Gauge<'region'>;
  readonly view: Gauge<'vantage' | 'region'>;
  readonly stale: Gauge<'vantage' | 'region'>;
  readonly age: Gauge<'vantage' | 'region'>;
  readonly #observed = new Map<string, { inc(): void }>();
  #regions = new Set<string>();
  #cells = new Set<string>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.observations = new Counter({
      name: 'meridian_fleet_observations_total',
      help: 'Observations read from the stream, by result (applied, duplicate, ignored, malformed)',
      labelNames: ['result'],
      registers,
    });
    this.stateChanges = new Counter({
      name: 'meridian_fleet_state_changes_total',
      help: 'Region state changes after the quorum and rise/fall, by region and new state',
      labelNames: ['region', 'to'],
      registers,
    });
    this.restarts = new Counter({
      name: 'meridian_fleet_consumer_restarts_total',
      help: 'Times this instance created its stream consumer again (it was deleted, or a gap was read again)',
      registers,
    });
    this.gaps = new Counter({
      name: 'meridian_fleet_sequence_gaps_total',
      help: 'Times observations were found missing in the stream order and read again',
      registers,
    });
    this.connected = new Gauge({
      name: 'meridian_fleet_nats_connected',
      help: '1 while connected to NATS, else 0 (the verdicts are then kept: fail static)',
      registers,
    });
    this.lastSequence = new Gauge({
      name: 'meridian_fleet_last_sequence',
      help: 'Stream sequence of the last observation applied',
      registers,
    });
    this.tableVersion = new Gauge({
      name: 'meridian_fleet_table_version',
      help: 'Version of the latest published health table',
      registers,
    });
    this.serving = new Gauge({
      name: 'meridian_fleet_region_serving',
      help: '1 when the fleet verdict for the region is up, else 0',
      labelNames: ['region'],
      registers,
    });
    this.freshVantages = new Gauge({
      name: 'meridian_fleet_region_fresh_vantages',
      help: 'Vantages whose latest observation of the region counts (not older than staleAfterMs)',
      labelNames: ['region'],
      registers,
    });
    this.disagreeing = new Gauge({
      name: 'meridian_fleet_region_disagreeing_vantages',
      help: "Fresh vantages whose view is not the region's verdict",
      labelNames: ['region'],
      registers,
    });
    this.failStatic = new Gauge({
      name: 'meridian_fleet_region_fail_static',
      help: '1 when no vantage is fresh for the region and its last verdict is kept, else 0',
      labelNames: ['region'],
      registers,
    });
    this.view = new Gauge({
      name: 'meridian_fleet_vantage_view',
      help: "A vantage's latest view of a region: 1 up, 0 down (no series before its first observation)",
      labelNames: ['vantage', 'region'],
      registers,
    });
    this.stale = new Gauge({
      name: 'meridian_fleet_vantage_stale',
      help: "1 when a vantage's latest observation of a region is too old to count (or missing), else 0",
      labelNames: ['vantage', 'region'],
      registers,
    });
    this.age = new Gauge({
      name: 'meridian_fleet_vantage_age_seconds',
      help: "Age of a vantage's latest observation of a region",
      labelNames: ['vantage', 'region'],
      registers,
    });
  }

  /** Counts one observation read, by result (a cached child: no label hashing per message). */
  observed(result: 'applied' | 'duplicate' | 'ignored' | 'malformed'): void {
    let child = this.#observed.get(result);
    if (!child) {
      child = this.observations.labels(result);
      this.#observed.set(result, child);
    }
    child.inc();
  }

  /** Sets every matrix gauge; drops the series of regions and vantages no longer in the matrix. */
  update(m: FleetMatrix): void {
    this.lastSequence.set(m.lastSequence);
    const regions = new Set<string>();
    const cells = new Set<string>();
    for (const r of m.regions) {
      const region = r.region;
      regions.add(region);
      this.serving.set({ region }, r.serving ? 1 : 0);
      this.freshVantages.set({ region }, r.freshVantages);
      this.disagreeing.set({ region }, r.disagreeing.length);
      this.failStatic.set({ region }, r.failStatic ? 1 : 0);
      for (const v of r.views) {
        const labels = { vantage: v.vantage, region };
        cells.add(`${v.vantage}\u0000${region}`);
        this.stale.set(labels, v.fresh ? 0 : 1);
        if (v.ok === null) {
          this.view.remove(labels);
          this.age.remove(labels);
        } else {
          this.view.set(labels, v.ok ? 1 : 0);
          this.age.set(labels, Math.max(0, v.ageMs ?? 0) / 1000);
        }
      }
    }
    for (const region of this.#regions) {
      if (regions.has(region)) continue;
      for (const g of [this.serving, this.freshVantages, this.disagreeing, this.failStatic])
        g.remove({ region });
      for (const to of ['up', 'down', 'unknown']) this.stateChanges.remove({ region, to });
    }
    for (const cell of this.#cells) {
      if (cells.has(cell)) continue;
      const [vantage, region] = cell.split('\u0000') as [string, string];
      for (const g of [this.view, this.stale, this.age]) g.remove({ vantage, region });
    }
    this.#regions = regions;
    this.#cells = cells;
  }
}
