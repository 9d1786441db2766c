// The config cache's Prometheus metrics, shared by every cache registered in the same Registry.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ConfigMetrics {
  readonly polls: Counter<'config' | 'outcome'>;
  readonly sourceFailures: Counter<'config' | 'source'>;
  readonly rejections: Counter<'config' | 'source' | 'reason'>;
  readonly version: Gauge<'config'>;
  readonly warm: Gauge<'config'>;
  readonly lastSuccess: Gauge<'config'>;
  readonly olderStreak: Gauge<'config'>;
}

/** Registers the metrics in `registry`, or returns the ones already there. */
export function configMetrics(registry: Registry): ConfigMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: L[]): Counter<L> =>
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> =>
    (registry.getSingleMetric(name) as Gauge<L> | undefined) ??
    new Gauge({ name, help, labelNames, registers: [registry] });
  return {
    polls: counter(
      'meridian_config_polls_total',
      'Polls by outcome (accepted, unchanged, rejected, failed)',
      ['config', 'outcome'],
    ),
    sourceFailures: counter(
      'meridian_config_source_failures_total',
      'Fetches from a source that failed or found nothing published',
      ['config', 'source'],
    ),
    rejections: counter('meridian_config_rejections_total', 'Snapshots refused, by reason', [
      'config',
      'source',
      'reason',
    ]),
    version: gauge('meridian_config_snapshot_version', 'Version of the snapshot being served (0 = none)', [
      'config',
    ]),
    warm: gauge('meridian_config_warm', '1 once the first complete snapshot is loaded', ['config']),
    lastSuccess: gauge(
      'meridian_config_last_success_timestamp_seconds',
      'Wall time of the last poll that confirmed or replaced the snapshot',
      ['config'],
    ),
    olderStreak: gauge(
      'meridian_config_older_streak_polls',
      'Polls in a row in which a source offered an older version than the one served (0 = none)',
      ['config'],
    ),
  };
}
