// Prometheus metrics of `meridian dns`, read from the engine's counters at scrape time (the
// query path only bumps typed arrays).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DnsEngine } from '../dns/index.js';

export class GslbMetrics {
  readonly reloads: Counter<'result'>;

  constructor(registry: Registry, engine: () => DnsEngine, healthVersion: () => number) {
    const registers = [registry];
    new Counter({
      name: 'meridian_dns_queries_total',
      help: 'DNS responses sent, by RCODE',
      labelNames: ['rcode'],
      registers,
      collect() {
        this.reset();
        for (const [rcode, n] of Object.entries(engine().counters().rcodes)) this.inc({ rcode }, n);
      },
    });
    new Counter({
      name: 'meridian_dns_answers_total',
      help: 'policy answers by hostname and the region answered first',
      labelNames: ['hostname', 'region'],
      registers,
      collect() {
        this.reset();
        for (const [hostname, m] of Object.entries(engine().counters().chosen)) {
          for (const [region, n] of Object.entries(m)) this.inc({ hostname, region }, n);
        }
      },
    });
    new Counter({
      name: 'meridian_dns_all_down_total',
      help: 'answers chosen by whenAllDown because no candidate was serving',
      labelNames: ['hostname'],
      registers,
      collect() {
        this.reset();
        for (const [hostname, n] of Object.entries(engine().counters().allDown)) this.inc({ hostname }, n);
      },
    });
    new Counter({
      name: 'meridian_dns_truncated_total',
      help: 'UDP responses sent with TC because they exceeded the client size',
      registers,
      collect() {
        this.reset();
        this.inc(engine().counters().truncated);
      },
    });
    new Counter({
      name: 'meridian_dns_errors_total',
      help: 'queries dropped by an internal error (a bug: see the logs)',
      registers,
      collect() {
        this.reset();
        this.inc(engine().counters().errors);
      },
    });
    new Gauge({
      name: 'meridian_dns_health_version',
      help: 'version of the health table the answers are based on',
      registers,
      collect() {
        this.set(healthVersion());
      },
    });
    this.reloads = new Counter({
      name: 'meridian_gslb_reloads_total',
      help: 'world file reloads by result (ok, invalid, unreadable)',
      labelNames: ['result'],
      registers,
    });
  }
}
