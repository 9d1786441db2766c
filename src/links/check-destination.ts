// Decides whether a destination URL may be linked for a partner: scheme, length (as given and
// once encoded), credentials, and the partner's allowed hosts (exact, or `*.suffix` for any
// subdomain).
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
  const shape = checkDestinationShape(destination, maxLength);
  if (!shape.ok || hostAllowed(shape.host, partner.allowedHosts)) return shape;
  return {
    ok: false,
    code: 'destination-not-allowed',
    message: `host ${shape.host} is not allowed for partner ${partner.id}`,
  };
}

/**
 * The partner-independent part of `checkDestination`: an absolute http(s) URL without
 * credentials, at most `maxLength` characters as given and once encoded (non-ASCII characters
 * are percent-encoded into up to 12, and the encoded form is what a link carries).
 */
export function checkDestinationShape(destination: string, maxLength: number): DestinationCheck {
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
  if (url.href.length > maxLength) {
    return {
      ok: false,
      code: 'invalid-destination',
      message: `destination is ${url.href.length} characters once encoded as a URL (non-ASCII characters are percent-encoded); at most ${maxLength}`,
    };
  }
  return { ok: true, url: url.href, host: url.hostname.toLowerCase() };
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
