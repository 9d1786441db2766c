// The probe contract: one check of one region's health endpoint, reported as a raw ok/not-ok.
// Thresholds, overrides and the table are not a probe's business (see flap-guard.ts).

/** What to check: `http://address:port/path`, answered within `timeoutMs`. */
export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
  readonly path: string;
  readonly timeoutMs: number;
  /** Aborted when the caller stops caring (the monitor stopped); the probe then settles as failed. */
  readonly signal?: AbortSignal;
}

/** One probe's outcome. `error` says why it failed (`timeout`, `status 500`, `ECONNREFUSED` …). */
export interface ProbeResult {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

/**
 * Checks one target. Must never reject and must settle within about `timeoutMs`; a probe
 * that does not answer in time counts as a failure (a grey failure is a failure).
 */
export interface Probe {
  check(target: ProbeTarget): Promise<ProbeResult>;
}
