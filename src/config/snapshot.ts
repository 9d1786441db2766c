// The config snapshot and its signed envelope: what home publishes and every region verifies.

/** One published version of a named config. `data` is application-defined and schema-checked. */
export interface ConfigSnapshot<T> {
  readonly name: string;
  /** Positive integer; a region only ever moves to a higher one. */
  readonly version: number;
  /** Wall time (ms since epoch) the publisher signed it. */
  readonly createdAt: number;
  /** Wall time (ms since epoch) after which no region accepts it; absent = never expires. */
  readonly expiresAt?: number;
  readonly data: T;
}

/** Identifies the envelope format; also the signing context (domain separation). */
export const ENVELOPE_FORMAT = 'meridian-config/1';

/**
 * The bytes on the wire and in escrow: JSON `{format, payload, signature}` where `payload` is
 * the base64 of the snapshot's UTF-8 JSON and `signature` the base64 Ed25519 signature over
 * `signingInput(payload bytes)`. Signing the exact bytes avoids any JSON canonicalisation.
 */
export interface SnapshotEnvelope {
  readonly format: typeof ENVELOPE_FORMAT;
  readonly payload: string;
  readonly signature: string;
}

/** The bytes Ed25519 signs: the format tag, a newline, then the payload bytes. */
export function signingInput(payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${ENVELOPE_FORMAT}\n`, 'utf8'), payload]);
}
