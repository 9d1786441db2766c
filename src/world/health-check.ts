// A region's resolved health check: what a probe checks and what counts as up, defaults applied.
import type { HealthInput } from './world-schema.js';

export type CheckType = 'http' | 'https' | 'tcp';

/** An inclusive range of HTTP statuses; `[200, 200]` is just 200. */
export type StatusRange = readonly [number, number];

/** What the response body must hold: a substring or a regular expression (source text). */
export type BodyMatch = { readonly contains: string } | { readonly regex: string };

/** Everything a probe needs to check one region; `meridian/monitor` turns it into a probe target. */
export interface HealthCheck {
  readonly type: CheckType;
  readonly port: number;
  /** HTTP(S) path. */
  readonly path: string;
  /** Host header; absent: `address:port`. */
  readonly host?: string;
  /** TLS server name; absent: none sent (the address is an IP). */
  readonly sni?: string;
  /** PEM file of trusted CAs; absent: the system CAs (unless pinned). */
  readonly caFile?: string;
  /** Lowercase hex SHA-256 of the certificate (DER) the server must present. */
  readonly pinSha256?: string;
  /** Statuses that count as up (default 200 only). */
  readonly expectStatus: readonly StatusRange[];
  readonly body?: BodyMatch;
}

/** The checks every world had before they were configurable: GET path, 200 only. */
export const DEFAULT_EXPECT_STATUS: readonly StatusRange[] = Object.freeze([
  Object.freeze([200, 200] as const),
]);

type CheckInput = Pick<
  HealthInput,
  'type' | 'path' | 'port' | 'host' | 'sni' | 'caFile' | 'pinSha256' | 'expectStatus' | 'body'
>;

/** Resolves a region's effective health block (world settings with its overrides) into a check. */
export function resolveHealthCheck(h: CheckInput, regionPort: number): HealthCheck {
  const type = h.type ?? 'http';
  const sni = h.sni ?? (h.host && !isIpLiteral(h.host) ? h.host.replace(/:\d+$/, '') : undefined);
  const body: BodyMatch | undefined =
    h.body?.contains !== undefined
      ? { contains: h.body.contains }
      : h.body?.regex !== undefined
        ? { regex: h.body.regex }
        : undefined;
  return {
    type,
    port: h.port ?? regionPort,
    path: h.path,
    ...(h.host ? { host: h.host } : {}),
    ...(type === 'https' && sni ? { sni } : {}),
    ...(h.caFile ? { caFile: h.caFile } : {}),
    ...(h.pinSha256 ? { pinSha256: normalizePin(h.pinSha256) } : {}),
    expectStatus: h.expectStatus ? h.expectStatus.map(parseStatusRange) : DEFAULT_EXPECT_STATUS,
    ...(body ? { body } : {}),
  };
}

/** `204` → [204, 204]; `"200-299"` → [200, 299]. Lint reports a reversed range. */
export function parseStatusRange(s: number | string): StatusRange {
  if (typeof s === 'number') return [s, s];
  const [lo, hi] = s.split('-').map(Number);
  return [lo!, hi!];
}

/** `AB:CD:…` or `abcd…` → `abcd…` (64 lowercase hex digits). */
export function normalizePin(pin: string): string {
  return pin.replaceAll(':', '').toLowerCase();
}

/**
 * How old a vantage's latest observation of a region may be and still count: by default three
 * probe rounds plus a timeout, `3 × max(intervalMs, timeoutMs) + timeoutMs` (a round never
 * starts before the previous probe ended), so one late or lost observation never excludes a
 * vantage, and a dead prober is excluded within about three rounds (docs/decisions/0020).
 */
export function defaultStaleAfterMs(h: Pick<HealthInput, 'intervalMs' | 'timeoutMs'>): number {
  return 3 * Math.max(h.intervalMs, h.timeoutMs) + h.timeoutMs;
}

/**
 * The smallest bound that cannot exclude a vantage that probes on time: two observations can be
 * one round plus one timeout apart, `max(intervalMs, timeoutMs) + timeoutMs`.
 */
export function minimumStaleAfterMs(h: Pick<HealthInput, 'intervalMs' | 'timeoutMs'>): number {
  return Math.max(h.intervalMs, h.timeoutMs) + h.timeoutMs;
}

function isIpLiteral(host: string): boolean {
  const bare = host.replace(/^\[|\](:\d+)?$/g, '').replace(/:\d+$/, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(bare) || bare.includes(':');
}
