// The HTTP limit flags `meridian home` and `meridian region` share (src/http has the defaults).
import type { Command } from 'commander';
import { MeridianError } from '../core/index.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimitOverrides, resolveHttpLimits } from '../http/index.js';

export interface HttpLimitFlags {
  httpHeadersTimeoutMs?: string;
  httpRequestTimeoutMs?: string;
  httpMaxConnections?: string;
  httpMaxConnectionsPerClient?: string;
}

const FLAGS = [
  [
    '--http-headers-timeout-ms',
    'httpHeadersTimeoutMs',
    'headersTimeoutMs',
    'a client must have sent its request headers within',
  ],
  [
    '--http-request-timeout-ms',
    'httpRequestTimeoutMs',
    'requestTimeoutMs',
    'a client must have sent its whole request within',
  ],
  [
    '--http-max-connections',
    'httpMaxConnections',
    'maxConnections',
    'open connections in all (also kept below the open-file limit)',
  ],
  [
    '--http-max-connections-per-client',
    'httpMaxConnectionsPerClient',
    'maxConnectionsPerClient',
    'open connections per client address (IPv6: per /64); 0: no cap',
  ],
] as const;

/** Adds the four flags to `command`. */
export function addHttpLimitFlags(command: Command): Command {
  for (const [flag, , limit, what] of FLAGS) {
    command.option(`${flag} <n>`, `${what} (default ${DEFAULT_HTTP_LIMITS[limit]})`);
  }
  return command;
}

/** The overrides the flags give; throws `MERIDIAN_USAGE` naming a flag that is not a whole number. */
export function httpLimitsFromFlags(flags: HttpLimitFlags): HttpLimitOverrides {
  const overrides: Record<string, number> = {};
  for (const [flag, key, limit] of FLAGS) {
    const text = flags[key];
    if (text === undefined) continue;
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
      throw new MeridianError('MERIDIAN_USAGE', `${flag} "${text}" is not a whole number ≥ 0`);
    }
    overrides[limit] = n;
  }
  try {
    resolveHttpLimits(overrides);
  } catch (err) {
    throw new MeridianError('MERIDIAN_USAGE', `${(err as Error).message} (set by the --http-… flags)`, {
      cause: err,
    });
  }
  return overrides;
}
