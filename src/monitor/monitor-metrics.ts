// The monitor's Prometheus metrics, registered on the registry the monitor was given.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The metric handles one HealthMonitor updates. Registering twice on one registry throws. */
export class MonitorMetrics {
  readonly probes: Counter<'region' | 'result'>;
  readonly probeDuration: Histogram<'region'>;
  readonly probeOverruns: Counter<'region'>;
  readonly stateChanges: Counter<'region' | 'to'>;
  readonly serving: Gauge<'region'>;
  readonly tableVersion: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.probes = new Counter({
      name: 'meridian_monitor_probes_total',
      help: 'Health probes completed, by region and result (ok, fail)',
      labelNames: ['region', 'result'],
      registers,
    });
    this.probeDuration = new Histogram({
      name: 'meridian_monitor_probe_duration_seconds',
      help: 'Duration of health probes (a timed-out probe counts as its timeout)',
      labelNames: ['region'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.probeOverruns = new Counter({
      name: 'meridian_monitor_probe_overruns_total',
      help: 'Probe rounds skipped (and counted as failed) because the previous probe had not settled',
      labelNames: ['region'],
      registers,
    });
    this.stateChanges = new Counter({
      name: 'meridian_monitor_state_changes_total',
      help: 'Region state changes after rise/fall thresholds, by region and new state',
      labelNames: ['region', 'to'],
      registers,
    });
    this.serving = new Gauge({
      name: 'meridian_monitor_region_serving',
      help: '1 when the region is up and not drained (gets answers), else 0',
      labelNames: ['region'],
      registers,
    });
    this.tableVersion = new Gauge({
      name: 'meridian_monitor_table_version',
      help: 'Version of the latest published health table',
      registers,
    });
  }

  /** Drops every series of a region that left the world. */
  forget(region: string): void {
    for (const result of ['ok', 'fail']) this.probes.remove({ region, result });
    for (const to of ['up', 'down', 'unknown']) this.stateChanges.remove({ region, to });
    this.probeDuration.remove({ region });
    this.probeOverruns.remove({ region });
    this.serving.remove({ region });
  }
}
