// A vantage prober's Prometheus metrics: what happened to each observation it tried to publish.
import { Counter, Gauge, type Registry } from 'prom-client';

/** The metric handles one VantageProber updates. */
export class ProberMetrics {
  readonly published: Counter<'result'>;
  readonly connected: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'meridian_fleet_published_total',
      help: 'Observations this prober handled, by result: ok (stored), failed (NATS refused or timed out), dropped (not connected, stream not ready, or too many in flight)',
      labelNames: ['result'],
      registers,
    });
    this.connected = new Gauge({
      name: 'meridian_fleet_prober_nats_connected',
      help: '1 while the prober is connected to NATS, else 0 (its observations are then dropped, not queued)',
      registers,
    });
  }
}
