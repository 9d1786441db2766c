// Decides whether a destination URL may be linked for a partner: scheme, length, credentials,
// and the partner's allowed hosts (exact, or `*.suffix` for any subdomain).
import type { Partner } from './links-config.js';

export type DestinationCheck =
  | { readonly ok: true; readonly url: string; readonly host: string }
  | {
      readonly ok: false;
      readonly code: 'invalid-destination' | 'destination-not-allowed';
      readonly message: string;
    };

/** Checks an untrusted destination string against the partner's rules. */
export function checkDestination(destination: string, partner: Partner, maxLength: number): DestinationCheck {
  if (destination.length === 0 || destination.length > maxLength) {
    return {
      ok: false,
      code: 'invalid-destination',
      message: `destination must be 1…${maxLength} characters`,
    };
  }
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return { ok: false, code: 'invalid-destination', message: 'destination is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, code: 'invalid-destination', message: 'destination must use http or https' };
  }
  if (url.username || url.password) {
    return { ok: false, code: 'invalid-destination', message: 'destination must not carry credentials' };
  }
  // What a link carries is the URL's encoded form, which can be many times longer than the text
  // given (a non-ASCII character becomes up to 12 characters): limit that too.
  if (url.href.length > maxLength) {
    return {
      ok: false,
      code: 'invalid-destination',
      message: `destination is ${url.href.length} characters once encoded as a URL (non-ASCII characters are percent-encoded); at most ${maxLength}`,
    };
  }
  const host = url.hostname.toLowerCase();
  if (!hostAllowed(host, partner.allowedHosts)) {
    return {
      ok: false,
      code: 'destination-not-allowed',
      message: `host ${host} is not allowed for partner ${partner.id}`,
    };
  }
  return { ok: true, url: url.href, host };
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const pattern of allowed) {
    if (pattern.startsWith('*.')) {
      if (host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1) return true;
    } else if (host === pattern) {
      return true;
    }
  }
  return false;
}
