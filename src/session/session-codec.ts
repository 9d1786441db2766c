// Issues and verifies session IDs: a packed row with a key id and times, MAC'd or encrypted.
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { Counter, type Registry } from 'prom-client';
import { type Clock, MeridianError } from '../core/index.js';
import type { SessionFields, SessionFormat, SessionRow } from './session-format.js';
import type { SessionKeyRing } from './session-key-ring.js';
import { isRevoked, type SessionRevocations } from './session-revocations.js';
import { decodeBase64UrlStrict, encodeBase64Url } from './strict-base64url.js';

/** Byte 0 of every ID: the layout version, which also says the mode. */
export const SESSION_VERSION_MAC = 0x01;
export const SESSION_VERSION_AEAD = 0x02;
/** Tag length in bytes (HMAC-SHA256 truncated to 128 bits; the GCM tag is 128 bits too). */
export const SESSION_TAG_BYTES = 16;
const NONCE_BYTES = 12;
const TIMES_BYTES = 8;
const MAC_HEADER = 2 + TIMES_BYTES;
const AEAD_HEADER = 2 + NONCE_BYTES;
const SESSION_ID_CHARS = 16;
const MAX_SECONDS = 2 ** 32 - 1;

export type SessionRejection =
  | 'malformed'
  | 'unknown-key'
  | 'bad-mac'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked';

/** A session whose ID passed every check. */
export interface VerifiedSession<F extends SessionFields> {
  readonly row: SessionRow<F>;
  readonly keyId: number;
  /** Whole seconds, as milliseconds since the epoch. */
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  /**
   * The last 16 characters of the ID: 96 bits of its tag, unique per ID. What revocation by
   * session lists (an operator can copy it from any logged ID).
   */
  readonly sessionId: string;
}

export type VerifyResult<F extends SessionFields> =
  | { readonly ok: true; readonly session: VerifiedSession<F> }
  | { readonly ok: false; readonly reason: SessionRejection };

export interface SessionCodecOptions {
  keys: SessionKeyRing;
  clock: Clock;
  /**
   * The current revocations, asked on every verify (e.g. `() => config.get()?.data.revocations`);
   * the session module never depends on the config module.
   */
  revocations?: () => SessionRevocations | undefined;
  /** How far in the future an issue time may be (other regions' clocks); default 60. */
  clockSkewSeconds?: number;
  /** Counters `meridian_session_issued_total{format}` and `meridian_session_verify_total{format,result}` go here. */
  registry?: Registry;
  /** Source of AEAD nonces (default: the OS CSPRNG). Tests pass a fixed one for test vectors. */
  randomBytes?: (n: number) => Uint8Array;
}

export interface SessionCodec<F extends SessionFields> {
  readonly format: SessionFormat<F>;
  /** Longest ID this format can produce; longer input is rejected before decoding. */
  readonly maxIdLength: number;
  /** Issues an ID for `row` with the active key. Throws MERIDIAN_SESSION_BAD_ROW / _BAD_TTL. */
  issue(row: SessionRow<F>, options: { ttlSeconds: number }): string;
  /** Checks an untrusted ID; never throws. `revocations` overrides the codec's getter for this call. */
  verify(id: unknown, options?: { revocations?: SessionRevocations }): VerifyResult<F>;
}

/** Binds a format to a key ring and a clock. */
export function createSessionCodec<F extends SessionFields>(
  format: SessionFormat<F>,
  options: SessionCodecOptions,
): SessionCodec<F> {
  const { keys, clock } = options;
  const skewMs = (options.clockSkewSeconds ?? 60) * 1000;
  const aead = format.mode === 'aead';
  const version = aead ? SESSION_VERSION_AEAD : SESSION_VERSION_MAC;
  const header = aead ? AEAD_HEADER : MAC_HEADER;
  const context = Buffer.concat([Buffer.from(`${format.prefix}\0`, 'latin1'), format.fingerprint]);
  const textPrefix = `${format.prefix}_`;
  // Reused for every AEAD call: context ‖ header (setAAD copies it synchronously).
  const aad = Buffer.alloc(context.length + AEAD_HEADER);
  context.copy(aad, 0);
  const maxBodyBytes = header + (aead ? TIMES_BYTES : 0) + format.maxRowBytes + SESSION_TAG_BYTES;
  const maxIdLength = textPrefix.length + Math.ceil((maxBodyBytes * 4) / 3);
  const minBodyBytes = header + (aead ? TIMES_BYTES : 0) + SESSION_TAG_BYTES;
  const fillRandom = options.randomBytes ?? ((n: number) => randomFillSync(new Uint8Array(n)));
  const revocationsOf = options.revocations ?? (() => undefined);

  let issuedCounter: { inc(): void } | undefined;
  const resultCounter = new Map<string, { inc(): void }>();
  if (options.registry) {
    const issued = counter(
      options.registry,
      'meridian_session_issued_total',
      'Session IDs issued, by format prefix',
      ['format'],
    );
    const verified = counter(
      options.registry,
      'meridian_session_verify_total',
      'Session IDs verified, by format prefix and result (ok or the rejection reason)',
      ['format', 'result'],
    );
    issuedCounter = issued.labels(format.prefix);
    for (const r of ['ok', 'malformed', 'unknown-key', 'bad-mac', 'expired', 'not-yet-valid', 'revoked']) {
      resultCounter.set(r, verified.labels(format.prefix, r));
    }
  }

  function writeTimes(out: Uint8Array, at: number, iat: number, exp: number): void {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    view.setUint32(at, iat);
    view.setUint32(at + 4, exp);
  }

  function issue(row: SessionRow<F>, issueOptions: { ttlSeconds: number }): string {
    const ttl = issueOptions?.ttlSeconds;
    const iat = Math.floor(clock.now() / 1000);
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || iat + ttl > MAX_SECONDS) {
      throw new MeridianError(
        'MERIDIAN_SESSION_BAD_TTL',
        `ttlSeconds must be a whole number of seconds ≥ 1 that ends before 2106, got ${String(ttl)}`,
      );
    }
    const packed = format.packRow(row);
    const key = keys.active;
    let out: Uint8Array;
    if (aead) {
      const plain = new Uint8Array(TIMES_BYTES + packed.length);
      writeTimes(plain, 0, iat, iat + ttl);
      plain.set(packed, TIMES_BYTES);
      out = new Uint8Array(AEAD_HEADER + plain.length + SESSION_TAG_BYTES);
      out[0] = version;
      out[1] = key.id;
      const nonce = fillRandom(NONCE_BYTES);
      if (nonce.length !== NONCE_BYTES) {
        throw new MeridianError(
          'MERIDIAN_SESSION_BAD_RANDOM',
          `randomBytes(${NONCE_BYTES}) returned ${nonce.length} bytes`,
        );
      }
      out.set(nonce, 2);
      const cipher = createCipheriv('aes-256-gcm', key.aeadKey, nonce, { authTagLength: SESSION_TAG_BYTES });
      aad.set(out.subarray(0, AEAD_HEADER), context.length);
      cipher.setAAD(aad);
      const enc = Buffer.concat([cipher.update(plain), cipher.final()]);
      out.set(enc, AEAD_HEADER);
      out.set(cipher.getAuthTag(), AEAD_HEADER + enc.length);
    } else {
      out = new Uint8Array(MAC_HEADER + packed.length + SESSION_TAG_BYTES);
      out[0] = version;
      out[1] = key.id;
      writeTimes(out, 2, iat, iat + ttl);
      out.set(packed, MAC_HEADER);
      const end = MAC_HEADER + packed.length;
      const tag = key.mac(context, out, end);
      for (let i = 0; i < SESSION_TAG_BYTES; i++) out[end + i] = tag.charCodeAt(i);
    }
    issuedCounter?.inc();
    return textPrefix + encodeBase64Url(out);
  }

  function reject(reason: SessionRejection): VerifyResult<F> {
    resultCounter.get(reason)?.inc();
    return { ok: false, reason };
  }

  function verify(id: unknown, verifyOptions?: { revocations?: SessionRevocations }): VerifyResult<F> {
    if (typeof id !== 'string' || id.length > maxIdLength || !id.startsWith(textPrefix))
      return reject('malformed');
    const bytes = decodeBase64UrlStrict(id.slice(textPrefix.length));
    if (!bytes || bytes.length < minBodyBytes || bytes.length > maxBodyBytes || bytes[0] !== version) {
      return reject('malformed');
    }
    const key = keys.get(bytes[1] as number);
    if (!key) return reject('unknown-key');
    const tagAt = bytes.length - SESSION_TAG_BYTES;
    let row: SessionRow<F> | undefined;
    let issuedAtMs: number;
    let expiresAtMs: number;
    if (aead) {
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.aeadKey, bytes.subarray(2, AEAD_HEADER), {
          authTagLength: SESSION_TAG_BYTES,
        });
        bytes.copy(aad, context.length, 0, AEAD_HEADER);
        decipher.setAAD(aad);
        decipher.setAuthTag(bytes.subarray(tagAt));
        plain = decipher.update(bytes.subarray(AEAD_HEADER, tagAt));
        decipher.final(); // GCM releases nothing here; it throws when the tag does not match
      } catch {
        return reject('bad-mac');
      }
      issuedAtMs = plain.readUInt32BE(0) * 1000;
      expiresAtMs = plain.readUInt32BE(4) * 1000;
      row = format.unpackRow(plain, TIMES_BYTES, plain.length);
    } else {
      const expected = key.mac(context, bytes, tagAt);
      // Constant time: every byte is compared, whatever the first difference.
      let diff = 0;
      for (let i = 0; i < SESSION_TAG_BYTES; i++)
        diff |= expected.charCodeAt(i) ^ (bytes[tagAt + i] as number);
      if (diff !== 0) return reject('bad-mac');
      issuedAtMs = bytes.readUInt32BE(2) * 1000;
      expiresAtMs = bytes.readUInt32BE(6) * 1000;
      row = format.unpackRow(bytes, MAC_HEADER, tagAt);
    }
    if (!row || expiresAtMs <= issuedAtMs) return reject('malformed');
    const now = clock.now();
    if (issuedAtMs > now + skewMs) return reject('not-yet-valid');
    if (now >= expiresAtMs) return reject('expired');
    const sessionId = id.slice(-SESSION_ID_CHARS);
    const revocations = verifyOptions?.revocations ?? revocationsOf();
    if (revocations) {
      const partnerField = format.partnerField;
      const partner = partnerField === undefined ? undefined : String(row[partnerField]);
      if (isRevoked(revocations, { sessionId, partner, issuedAtMs })) return reject('revoked');
    }
    resultCounter.get('ok')?.inc();
    return { ok: true, session: { row, keyId: key.id, issuedAtMs, expiresAtMs, sessionId } };
  }

  return Object.freeze({ format, maxIdLength, issue, verify });
}

/** The registry's counter of this name (several codecs may share one registry), created if absent. */
function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<string>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}
