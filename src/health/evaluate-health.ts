// The pure health verdict: from check results and the drain switch to a status and a body.
import type { CheckResult } from './health-check.js';

/** The /healthz answer: `status` is 200 only when every critical check passes and not draining. */
export interface HealthReport {
  readonly status: 200 | 503;
  readonly ok: boolean;
  readonly draining: boolean;
  /** Names of the failing critical checks, in registration order. */
  readonly failing: readonly string[];
  readonly checks: readonly CheckResult[];
}

/** Decides the verdict; no I/O, no clock. */
export function evaluateHealth(results: readonly CheckResult[], state: { draining: boolean }): HealthReport {
  const failing = results.filter((r) => r.critical && !r.ok).map((r) => r.name);
  const ok = failing.length === 0 && !state.draining;
  return Object.freeze({
    status: ok ? 200 : 503,
    ok,
    draining: state.draining,
    failing: Object.freeze(failing),
    checks: Object.freeze([...results]),
  });
}
