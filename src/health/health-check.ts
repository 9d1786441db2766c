// What a health check is, and what running one produced.

/** `true`/`false`, or a result with a short human-readable detail (shown in /healthz). */
export type CheckOutcome = boolean | { readonly ok: boolean; readonly detail?: string };

/** A named check. A critical check that fails turns /healthz red; a non-critical one only shows. */
export interface HealthCheck {
  /** Unique in a registry; `[a-z0-9][a-z0-9._-]*` (e.g. `config-warm`). */
  readonly name: string;
  readonly critical: boolean;
  /** Must be cheap: it runs on every /healthz request. May be async; a throw counts as failing. */
  readonly check: () => CheckOutcome | Promise<CheckOutcome>;
  /** An async check still pending after this long fails with "timed out" (default: the registry's). */
  readonly timeoutMs?: number;
}

/** One check's result in a report. */
export interface CheckResult {
  readonly name: string;
  readonly critical: boolean;
  readonly ok: boolean;
  readonly detail?: string;
  readonly durationMs: number;
}
