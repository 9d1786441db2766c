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
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    return { ok: false, reason: `payload is ${bytes} bytes of JSON, more than the limit of ${maxBytes}` };
  }
  return { ok: true, json, bytes };
}

/** Explains why `value` is not a valid topic/key/region name, or returns null when it is. */
export function checkName(what: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (!NAME_PATTERN.test(value)) {
    return `${what} ${JSON.stringify(value.slice(0, 140))} must be 1-128 characters from A-Z a-z 0-9 . _ : / -`;
  }
  return null;
}
