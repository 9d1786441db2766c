// At start: an admin API may run without a bearer token only on loopback, and a token that is
// given must pass the shared policy (parseAdminToken).
import { MeridianError } from '../core/index.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { parseAdminToken } from './parse-admin-token.js';

export interface AdminExposure {
  /** The address the admin API will listen on. */
  readonly host: string;
  /** The token as given, or undefined when none was. */
  readonly token: string | undefined;
  /** What is starting, for the message (`home`, `the GSLB admin API`). */
  readonly what: string;
  /** Where the token came from, for the message (default `the admin token`). */
  readonly source?: string;
}

/**
 * Returns the token to require (trimmed), or undefined when none was given and `host` is
 * loopback. Throws `MERIDIAN_HTTP_ADMIN_UNSAFE` for no token off loopback, and
 * `MERIDIAN_HTTP_ADMIN_TOKEN_INVALID` for a token the policy refuses.
 */
export function checkAdminExposure(e: AdminExposure): string | undefined {
  if (e.token !== undefined) return parseAdminToken(e.token, e.source ?? 'the admin token');
  if (isLoopbackHost(e.host)) return undefined;
  throw new MeridianError(
    'MERIDIAN_HTTP_ADMIN_UNSAFE',
    `refusing to serve ${e.what} on ${e.host || '(every address)'} without an admin token: anyone who can reach it could change the world; set MERIDIAN_ADMIN_TOKEN or --admin-token-file (generate one with \`openssl rand -base64 32\`), or listen on 127.0.0.1`,
  );
}
