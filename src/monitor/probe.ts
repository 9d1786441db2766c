// The probe contract: one check of one region's health endpoint, reported as a raw ok/not-ok.
// Thresholds, overrides and the table are not a probe's business (see flap-guard.ts).
import type { BodyMatch, CheckType, StatusRange } from '../world/index.js';

/**
 * What to check, and what counts as up. The optional fields default to what every check was
 * before they existed: `GET http://address:port/path`, status 200, body not read.
 */
export interface ProbeTarget {
  readonly address: string;
  readonly port: number;
  readonly path: string;
  readonly timeoutMs: number;
  /** Aborted when the caller stops caring (the monitor stopped); the probe then settles as failed. */
  readonly signal?: AbortSignal;
  /** `http` (default) or `https`: GET `path`; `tcp`: a TCP connect only. */
  readonly type?: CheckType;
  /** Host header (default `address:port`). */
  readonly host?: string;
  /** TLS server name (https; default none). */
  readonly sni?: string;
  /** PEM file of the CAs to trust (https; default the system CAs). */
  readonly caFile?: string;
  /** Lowercase hex SHA-256 of the certificate the server must present (https). */
  readonly pinSha256?: string;
  /** Statuses that count as up (default 200 only). */
  readonly expectStatus?: readonly StatusRange[];
  /** What the body must hold (default: the body is not read). */
  readonly body?: BodyMatch;
  /** Local address to probe from (the lab's vantages; default: the system's choice). */
  readonly sourceAddress?: string;
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
