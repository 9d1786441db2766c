// The region's own health: named checks, the drain switch, and running them into a report.
import { EventEmitter } from 'node:events';
import { Gauge, Histogram, type Registry } from 'prom-client';
import { type Clock, MeridianError } from '../core/index.js';
import { evaluateHealth, type HealthReport } from './evaluate-health.js';
import type { CheckOutcome, CheckResult, HealthCheck } from './health-check.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface HealthRegistryOptions {
  clock: Clock;
  /** Gauges `meridian_health_check_passing`, `meridian_health_draining` and a duration histogram go here. */
  registry?: Registry;
  /** Timeout of checks that give none; default 1000. */
  defaultTimeoutMs?: number;
}

/**
 * Holds the checks and the drain switch. Events on `events`: `meridian:health:check-changed`
 * `{name, critical, ok, detail}` when a check's result flips (or its first run fails), and
 * `meridian:health:draining` `{atMs}` once.
 */
export class HealthRegistry {
  readonly events = new EventEmitter();
  readonly #clock: Clock;
  readonly #defaultTimeoutMs: number;
  readonly #checks = new Map<string, HealthCheck>();
  readonly #last = new Map<string, boolean>();
  #draining = false;
  readonly #passing?: Gauge<'check' | 'critical'>;
  readonly #drainingGauge?: Gauge;
  readonly #duration?: Histogram<'check'>;

  constructor(options: HealthRegistryOptions) {
    this.#clock = options.clock;
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? 1000;
    if (options.registry) {
      const registers = [options.registry];
      this.#passing = new Gauge({
        name: 'meridian_health_check_passing',
        help: '1 when the check passed on its last run, else 0',
        labelNames: ['check', 'critical'],
        registers,
      });
      this.#drainingGauge = new Gauge({
        name: 'meridian_health_draining',
        help: '1 once the process is draining',
        registers,
      });
      this.#drainingGauge.set(0);
      this.#duration = new Histogram({
        name: 'meridian_health_check_duration_seconds',
        help: 'Time each check took',
        labelNames: ['check'],
        buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 5],
        registers,
      });
    }
  }

  /**
   * Adds a check; returns a function that removes it. Throws MERIDIAN_HEALTH_BAD_CHECK for a
   * bad or repeated name.
   */
  register(check: HealthCheck): () => void {
    if (!NAME.test(check.name)) {
      throw new MeridianError(
        'MERIDIAN_HEALTH_BAD_CHECK',
        `health check name "${check.name}" must match ${NAME.source} (e.g. "config-warm")`,
      );
    }
    if (this.#checks.has(check.name)) {
      throw new MeridianError(
        'MERIDIAN_HEALTH_BAD_CHECK',
        `health check "${check.name}" is already registered`,
      );
    }
    this.#checks.set(check.name, check);
    return () => {
      if (this.#checks.get(check.name) === check) {
        this.#checks.delete(check.name);
        this.#last.delete(check.name);
      }
    };
  }

  /** Names of the registered checks, in registration order. */
  names(): string[] {
    return [...this.#checks.keys()];
  }

  /** Turns /healthz red for good (the process is going away); idempotent. */
  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#drainingGauge?.set(1);
    this.events.emit('meridian:health:draining', { atMs: this.#clock.now() });
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Runs every check concurrently (each bounded by its timeout) and evaluates the result. */
  async run(): Promise<HealthReport> {
    const results = await Promise.all([...this.#checks.values()].map((c) => this.#runOne(c)));
    return evaluateHealth(results, { draining: this.#draining });
  }

  async #runOne(check: HealthCheck): Promise<CheckResult> {
    const started = this.#clock.monotonic();
    let outcome: { ok: boolean; detail?: string };
    try {
      const value = check.check();
      outcome = normalize(
        isThenable(value)
          ? await this.#withTimeout(Promise.resolve(value), check.timeoutMs ?? this.#defaultTimeoutMs)
          : value,
      );
    } catch (err) {
      outcome = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
    const durationMs = this.#clock.monotonic() - started;
    const result: CheckResult = Object.freeze({
      name: check.name,
      critical: check.critical,
      ok: outcome.ok,
      ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
      durationMs,
    });
    this.#passing?.set({ check: check.name, critical: String(check.critical) }, outcome.ok ? 1 : 0);
    this.#duration?.observe({ check: check.name }, durationMs / 1000);
    if (this.#checks.get(check.name) === check && this.#last.get(check.name) !== outcome.ok) {
      const before = this.#last.get(check.name);
      this.#last.set(check.name, outcome.ok);
      if (before !== undefined || !outcome.ok) {
        this.events.emit('meridian:health:check-changed', {
          name: check.name,
          critical: check.critical,
          ok: outcome.ok,
          detail: outcome.detail,
        });
      }
    }
    return result;
  }

  #withTimeout(promise: Promise<CheckOutcome>, timeoutMs: number): Promise<CheckOutcome> {
    return new Promise((resolve, reject) => {
      const cancel = this.#clock.setTimeout(
        () => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }),
        timeoutMs,
      );
      promise.then(
        (v) => {
          cancel();
          resolve(v);
        },
        (err) => {
          cancel();
          reject(err);
        },
      );
    });
  }
}

function isThenable(value: unknown): value is PromiseLike<CheckOutcome> {
  return (
    value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function'
  );
}

function normalize(value: CheckOutcome): { ok: boolean; detail?: string } {
  if (typeof value === 'boolean') return { ok: value };
  if (value && typeof value === 'object' && typeof value.ok === 'boolean') {
    return value.detail === undefined ? { ok: value.ok } : { ok: value.ok, detail: String(value.detail) };
  }
  return { ok: false, detail: `check returned ${String(value)}, not a boolean or {ok}` };
}
