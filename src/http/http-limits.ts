// The deadlines and connection caps every Meridian HTTP listener runs with, validated once.
import { MeridianError } from '../core/index.js';

/** Units in the names; 0 turns a limit off (except timeoutCheckIntervalMs and keepAliveTimeoutMs). */
export interface HttpLimits {
  /** From a connection's first byte (or its last response) until the request's headers are in. */
  readonly headersTimeoutMs: number;
  /** From the same start until the whole request, body included, is in. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept. */
  readonly keepAliveTimeoutMs: number;
  /** A connection on which nothing moves for this long is closed (also a client that reads nothing). */
  readonly idleTimeoutMs: number;
  /** Requests served on one keep-alive connection before it is closed (0: no limit). */
  readonly maxRequestsPerSocket: number;
  /** How often the header and request deadlines are checked (Node's default is 30 s late). */
  readonly timeoutCheckIntervalMs: number;
  /** Open connections in all; kept below the process's open-file limit. */
  readonly maxConnections: number;
  /** Open connections per client address (IPv6: per /64). */
  readonly maxConnectionsPerClient: number;
}

export type HttpLimitOverrides = Partial<HttpLimits>;

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  maxRequestsPerSocket: 0,
  timeoutCheckIntervalMs: 1_000,
  maxConnections: 16_384,
  maxConnectionsPerClient: 256,
});

/** File descriptors left for everything but connections: max(64, 1/8 of the limit). */
export function reservedFileDescriptors(openFileLimit: number): number {
  return Math.max(64, Math.floor(openFileLimit / 8));
}

/**
 * The defaults with `overrides` applied, checked and frozen. With the process's open-file limit
 * known, `maxConnections` is lowered to leave reservedFileDescriptors() free, so the listener
 * reaches its own cap (and makes room for newcomers) before accept() runs out of descriptors.
 * Throws `MERIDIAN_HTTP_BAD_LIMIT` naming the limit that is not a whole number ≥ 0, or when the
 * header deadline is later than the request deadline.
 */
export function resolveHttpLimits(
  overrides: HttpLimitOverrides,
  context: { readonly openFileLimit?: number | undefined } = {},
): HttpLimits {
  const limits: Record<string, number> = { ...DEFAULT_HTTP_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_HTTP_LIMITS)) {
      throw new MeridianError(
        'MERIDIAN_HTTP_BAD_LIMIT',
        `"${name}" is not an HTTP limit (${Object.keys(DEFAULT_HTTP_LIMITS).join(', ')})`,
      );
    }
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new MeridianError(
        'MERIDIAN_HTTP_BAD_LIMIT',
        `HTTP limit ${name} is ${value}: give a whole number ≥ 0 (0 turns it off)`,
      );
    }
    limits[name] = value;
  }
  const l = limits as unknown as HttpLimits;
  for (const name of ['timeoutCheckIntervalMs', 'keepAliveTimeoutMs'] as const) {
    if (l[name] < 1)
      throw new MeridianError('MERIDIAN_HTTP_BAD_LIMIT', `HTTP limit ${name} must be at least 1 ms`);
  }
  if (l.headersTimeoutMs > 0 && l.requestTimeoutMs > 0 && l.headersTimeoutMs > l.requestTimeoutMs) {
    throw new MeridianError(
      'MERIDIAN_HTTP_BAD_LIMIT',
      `HTTP limit headersTimeoutMs (${l.headersTimeoutMs}) is later than requestTimeoutMs (${l.requestTimeoutMs}): the headers are part of the request`,
    );
  }
  const fds = context.openFileLimit;
  if (fds !== undefined && Number.isFinite(fds) && fds > 0) {
    const room = Math.max(1, fds - reservedFileDescriptors(fds));
    if (l.maxConnections === 0 || l.maxConnections > room) limits.maxConnections = room;
  }
  return Object.freeze(limits as unknown as HttpLimits);
}
