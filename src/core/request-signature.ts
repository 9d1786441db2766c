// Signed requests between Meridian's processes (decision 0015): a sender (`region:<name>`,
// `partner:<id>`) signs method, path, time and body digest with a key home derives from one
// secret; home checks the headers before reading the body and the digest after.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The four request headers of a signed request. */
export const SIGNATURE_HEADERS = {
  sender: 'meridian-sender',
  timestamp: 'meridian-timestamp',
  contentSha256: 'meridian-content-sha256',
  signature: 'meridian-signature',
} as const;

/** How far a request's timestamp may be from the receiver's clock (either way) by default. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A sender key's length in bytes (HMAC-SHA256 output). */
export const SENDER_KEY_BYTES = 32;

const SCHEME = 'MERIDIAN-HMAC-SHA256-V1';
const KEY_LABEL = 'meridian-sender-key:v1:';
const SENDER = /^(region|partner):[A-Za-z0-9._-]{1,128}$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** `region:<name>`: how a region signs. */
export function regionSender(name: string): string {
  return `region:${name}`;
}

/** `partner:<id>`: how a partner signs partner-relay events. */
export function partnerSender(id: string): string {
  return `partner:${id}`;
}

/** `{kind, name}` of a well-formed sender, else undefined. */
export function parseSender(sender: string): { kind: 'region' | 'partner'; name: string } | undefined {
  if (!SENDER.test(sender)) return undefined;
  const colon = sender.indexOf(':');
  return { kind: sender.slice(0, colon) as 'region' | 'partner', name: sender.slice(colon + 1) };
}

/** The key of `sender`: HMAC-SHA256(secret, label + sender). Home needs only the secret. */
export function deriveSenderKey(secret: string | Uint8Array, sender: string): Buffer {
  return createHmac('sha256', secret)
    .update(KEY_LABEL + sender)
    .digest();
}

/** A key as text for a key file (base64url). */
export function encodeSenderKey(key: Uint8Array): string {
  return Buffer.from(key).toString('base64url');
}

/** A key from a key file's text, or undefined when it is not 32 bytes of base64url. */
export function decodeSenderKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9_-]+$/.test(trimmed)) return undefined;
  const key = Buffer.from(trimmed, 'base64url');
  return key.length === SENDER_KEY_BYTES && key.toString('base64url') === trimmed ? key : undefined;
}

/** Hex SHA-256 of a body (the empty string for none). */
export function sha256Hex(body: string | Uint8Array = ''): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The SHA-256 of an empty body: what a request without one declares. */
export const EMPTY_SHA256 = sha256Hex('');

export interface RequestToSign {
  readonly key: Uint8Array;
  readonly sender: string;
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/v1/ingest`. */
  readonly path: string;
  readonly body?: string | Uint8Array;
  /** Wall time in ms since the epoch. */
  readonly nowMs: number;
}

/** The four headers that sign `request`. */
export function signRequest(request: RequestToSign): Record<string, string> {
  const contentSha256 = sha256Hex(request.body);
  const timestamp = String(Math.trunc(request.nowMs));
  return {
    [SIGNATURE_HEADERS.sender]: request.sender,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.contentSha256]: contentSha256,
    [SIGNATURE_HEADERS.signature]: mac(request.key, [
      request.sender,
      request.method.toUpperCase(),
      request.path,
      timestamp,
      contentSha256,
    ]).toString('hex'),
  };
}

export interface SignedHeadersToCheck {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly method: string;
  readonly path: string;
  readonly nowMs: number;
  readonly maxClockSkewMs?: number;
  /** The key of a sender this receiver accepts, else undefined. */
  readonly keyFor: (sender: string) => Uint8Array | undefined;
}

export type SignatureCheck =
  | {
      readonly ok: true;
      readonly sender: string;
      /** What the body must hash to (checked once it is read). */
      readonly contentSha256: string;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks the signature headers (not the body: compare its SHA-256 with `contentSha256` once
 * read). Constant-time comparison; every failure says what is missing or wrong.
 */
export function checkSignedHeaders(input: SignedHeadersToCheck): SignatureCheck {
  const header = (name: string) => {
    const v = input.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const sender = header(SIGNATURE_HEADERS.sender);
  const timestamp = header(SIGNATURE_HEADERS.timestamp);
  const contentSha256 = header(SIGNATURE_HEADERS.contentSha256);
  const signature = header(SIGNATURE_HEADERS.signature);
  if (!sender || !timestamp || !contentSha256 || !signature) {
    return {
      ok: false,
      reason: `the request is not signed: send ${Object.values(SIGNATURE_HEADERS).join(', ')} (decision 0015)`,
    };
  }
  if (!parseSender(sender))
    return { ok: false, reason: `sender ${JSON.stringify(sender.slice(0, 140))} is malformed` };
  const key = input.keyFor(sender);
  if (!key) return { ok: false, reason: `sender ${sender} may not call this route` };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'the timestamp is not epoch milliseconds' };
  const skew = Number(timestamp) - input.nowMs;
  const maxSkew = input.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (Math.abs(skew) > maxSkew) {
    return {
      ok: false,
      reason: `the request was signed ${Math.round(Math.abs(skew) / 1000)} s ${skew < 0 ? 'ago' : 'ahead'}, more than the ${Math.round(maxSkew / 1000)} s allowed: check the sender's clock`,
    };
  }
  if (!HEX64.test(contentSha256)) return { ok: false, reason: 'the content digest is not a hex SHA-256' };
  const expected = mac(key, [sender, input.method.toUpperCase(), input.path, timestamp, contentSha256]);
  const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      reason: `the signature does not match: wrong key for ${sender}, or the request was altered`,
    };
  }
  return { ok: true, sender, contentSha256 };
}

function mac(key: Uint8Array, fields: readonly string[]): Buffer {
  return createHmac('sha256', key)
    .update([SCHEME, ...fields].join('\n'))
    .digest();
}
