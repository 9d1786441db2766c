// The checks every admin request passes before its route runs, as a pure function of its
// headers: Host (DNS rebinding), Origin and Sec-Fetch-Site (cross-site requests), the bearer
// token, and JSON on every change (a web page cannot send JSON cross-site without CORS).
import { parseAddress } from '../core/index.js';
import { bearerTokenMatches } from './bearer-token-matches.js';

export interface AdminRequestFacts {
  readonly method: string;
  /** The Host header. */
  readonly host: string | undefined;
  readonly origin: string | undefined;
  /** The Sec-Fetch-Site header browsers send. */
  readonly fetchSite: string | undefined;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
}

export interface AdminRequestPolicy {
  /** The bearer token to require (none: loopback only, see checkAdminExposure). */
  readonly token?: string | undefined;
  /**
   * DNS names (or `name:port`) that may appear in Host besides `localhost` and IP literals: the
   * name of a proxy in front of the admin API, for instance.
   */
  readonly allowedHosts?: readonly string[] | undefined;
}

export type AdminVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly status: 401 | 403 | 415;
      readonly code:
        | 'host-not-allowed'
        | 'origin-not-allowed'
        | 'cross-site-request'
        | 'unauthorized'
        | 'unsupported-media-type';
      readonly message: string;
    };

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The verdict on one admin request; the first failing check decides. */
export function checkAdminRequest(r: AdminRequestFacts, policy: AdminRequestPolicy): AdminVerdict {
  const host = r.host?.trim().toLowerCase() ?? '';
  if (!hostAllowed(host, policy.allowedHosts ?? [])) {
    return {
      ok: false,
      status: 403,
      code: 'host-not-allowed',
      message: `Host "${r.host ?? ''}" is not this admin API's: use its address (like 127.0.0.1:PORT) or localhost, or add the name to the allowed admin hosts`,
    };
  }
  if (r.origin !== undefined && !sameOrigin(r.origin, host)) {
    return {
      ok: false,
      status: 403,
      code: 'origin-not-allowed',
      message: `requests from ${r.origin} are refused: the admin API takes no cross-origin requests`,
    };
  }
  if (r.fetchSite !== undefined && r.fetchSite !== 'same-origin' && r.fetchSite !== 'none') {
    return {
      ok: false,
      status: 403,
      code: 'cross-site-request',
      message: `a ${r.fetchSite} request is refused: the admin API takes no requests from web pages`,
    };
  }
  if (policy.token !== undefined && !bearerTokenMatches(r.authorization, policy.token)) {
    return {
      ok: false,
      status: 401,
      code: 'unauthorized',
      message: 'send Authorization: Bearer <admin token>',
    };
  }
  if (CHANGES.has(r.method.toUpperCase()) && mediaType(r.contentType) !== 'application/json') {
    return {
      ok: false,
      status: 415,
      code: 'unsupported-media-type',
      message: `${r.method} needs content-type: application/json (send {} when there is nothing to say)`,
    };
  }
  return { ok: true };
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** `localhost`, an IP literal (no DNS name, so no rebinding), or a name on the allow-list. */
function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(host);
  if (!m) return false;
  const name = m[1] ?? m[2]!;
  if (name === 'localhost') return true;
  if (m[1] !== undefined) return parseAddress(name).ok;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return parseAddress(name).ok;
  return allowed.some((a) => {
    const entry = a.trim().toLowerCase();
    return entry === name || entry === host;
  });
}

/** True when `origin` is the admin API itself, as the client named it in Host. */
function sameOrigin(origin: string, host: string): boolean {
  let o: URL;
  let self: URL;
  try {
    o = new URL(origin);
    if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
    self = new URL(`${o.protocol}//${host}`);
  } catch {
    return false; // `null`, or not a URL
  }
  return o.host === self.host;
}
