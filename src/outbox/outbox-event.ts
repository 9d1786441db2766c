// What one soft write is, and the rules its topic, key and payload must follow (shared by
// the region's `enqueue` and home's ingest, so home never rejects what a region accepted).

/** An event as it travels home: the payload is already JSON text. */
export interface OutboxEvent {
  /** Idempotency key: home stores at most one event per key, across all regions. */
  readonly key: string;
  readonly topic: string;
  /** Wall time (ms since epoch) the region accepted the event. */
  readonly enqueuedAtMs: number;
  /** The payload as JSON text. */
  readonly payloadJson: string;
}

/** Topics, keys and region names: 1–128 characters from `A–Z a–z 0–9 . _ : / -`. */
export const NAME_PATTERN = /^[A-Za-z0-9._:/-]{1,128}$/;

/** Default largest payload, in UTF-8 bytes of its JSON text. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

export type EncodedPayload =
  | { readonly ok: true; readonly json: string; readonly bytes: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Serialises `payload` to JSON text and checks its size. Fails (as a value) for values JSON
 * cannot carry (undefined, functions, BigInt, cycles) and for payloads over `maxBytes`.
 */
export function encodePayload(payload: unknown, maxBytes: number): EncodedPayload {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (err) {
    return { ok: false, reason: `payload is not JSON-serialisable: ${(err as Error).message}` };
  }
  if (json === undefined) return { ok: false, reason: 'payload is not JSON-serialisable (undefined)' };
  const unstorable = unstorableJsonReason(json);
  if (unstorable) return { ok: false, reason: unstorable };
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    return { ok: false, reason: `payload is ${bytes} bytes of JSON, more than the limit of ${maxBytes}` };
  }
  return { ok: true, json, bytes };
}

const ESCAPES = /(\\+)u(0000|d[89a-f][0-9a-f]{2})/gi;

/**
 * JSON.stringify output that PostgreSQL jsonb refuses: a U+0000 character or an unpaired
 * surrogate (JSON.stringify escapes exactly those as `\u0000` / `\udXXX`). Accepting one would
 * make a batch fail at home forever, so both sides refuse it. Returns the reason or null.
 */
export function unstorableJsonReason(json: string): string | null {
  if (!json.includes('\\u')) return null;
  for (const m of json.matchAll(ESCAPES)) {
    if (m[1]!.length % 2 === 1) {
      return m[2] === '0000'
        ? 'payload contains U+0000, which PostgreSQL jsonb cannot store'
        : 'payload contains an unpaired UTF-16 surrogate, which is not valid Unicode';
    }
  }
  return null;
}

/** Explains why `value` is not a valid topic/key/region name, or returns null when it is. */
export function checkName(what: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (!NAME_PATTERN.test(value)) {
    return `${what} ${JSON.stringify(value.slice(0, 140))} must be 1-128 characters from A-Z a-z 0-9 . _ : / -`;
  }
  return null;
}
