// Prometheus metrics of what simulated users saw, on a Registry passed in.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestRecord } from './request-record.js';

/** `observe` each request record; the registry is the caller's (never the global default). */
export class LabMetrics {
  readonly #requests: Counter<'location' | 'region' | 'step' | 'outcome'>;
  readonly #duration: Histogram<'location' | 'step'>;

  constructor(registry: Registry) {
    this.#requests = new Counter({
      name: 'meridian_lab_user_requests_total',
      help: 'Requests made by simulated users, by location, serving region, journey step and outcome.',
      labelNames: ['location', 'region', 'step', 'outcome'],
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'meridian_lab_user_request_duration_seconds',
      help: 'Time to a completed user request (DNS + connect + response), successful requests only.',
      labelNames: ['location', 'step'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2],
      registers: [registry],
    });
  }

  observe(r: RequestRecord): void {
    this.#requests.inc({
      location: r.location,
      region: r.region ?? 'none',
      step: r.step,
      outcome: r.ok ? 'ok' : (r.error ?? 'error'),
    });
    if (r.ok) this.#duration.observe({ location: r.location, step: r.step }, r.totalMs / 1000);
  }
}
