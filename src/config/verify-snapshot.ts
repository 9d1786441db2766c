// A region's side of the envelope: bytes -> accepted snapshot or a reason, never a throw.
import { type KeyObject, verify } from 'node:crypto';
import { deepFreeze } from '../core/index.js';
import type { DataValidator } from './data-validator.js';
import { type ConfigSnapshot, ENVELOPE_FORMAT, signingInput } from './snapshot.js';

/** Why a snapshot was not taken. `same-version` is not a fault: it is what we already have. */
export type RejectReason =
  | 'too-large'
  | 'malformed'
  | 'bad-signature'
  | 'wrong-name'
  | 'same-version'
  | 'older-version'
  | 'expired'
  | 'schema';

export type VerifyResult<T> =
  | { readonly ok: true; readonly snapshot: ConfigSnapshot<T> }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string; readonly version?: number };

export interface VerifyOptions<T> {
  readonly name: string;
  readonly publicKey: KeyObject;
  readonly validate: DataValidator<T>;
  /** The version held now (0 before the first). Only a higher one is accepted. */
  readonly currentVersion: number;
  /** Wall time (ms) to judge `expiresAt` against. */
  readonly nowMs: number;
  readonly maxBytes: number;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks, in order of cost: size, envelope shape, signature, snapshot shape, name, version,
 * expiry, then the application schema. The returned snapshot (with the schema's output as
 * `data`) is deep-frozen.
 */
export function verifySnapshot<T>(bytes: Uint8Array, opts: VerifyOptions<T>): VerifyResult<T> {
  if (bytes.byteLength > opts.maxBytes) {
    return reject('too-large', `${bytes.byteLength} bytes is over the limit of ${opts.maxBytes}`);
  }
  const envelope = parseJson(bytes);
  if (!isRecord(envelope)) return reject('malformed', 'envelope is not a JSON object');
  if (envelope.format !== ENVELOPE_FORMAT) {
    return reject('malformed', `envelope format is not "${ENVELOPE_FORMAT}"`);
  }
  const { payload, signature } = envelope;
  if (typeof payload !== 'string' || !BASE64.test(payload) || typeof signature !== 'string') {
    return reject('malformed', 'envelope payload/signature missing or not base64');
  }
  const payloadBytes = Buffer.from(payload, 'base64');
  const sig = Buffer.from(signature, 'base64');
  let valid = false;
  try {
    valid = sig.length === 64 && verify(null, signingInput(payloadBytes), opts.publicKey, sig);
  } catch {
    valid = false;
  }
  if (!valid)
    return reject('bad-signature', 'Ed25519 signature does not verify with the configured public key');

  const snap = parseJson(payloadBytes);
  if (!isRecord(snap)) return reject('malformed', 'signed payload is not a JSON object');
  const { name, version, createdAt, expiresAt } = snap;
  if (typeof name !== 'string') return reject('malformed', 'snapshot.name is not a string');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return reject('malformed', 'snapshot.version is not a positive integer');
  }
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) {
    return reject('malformed', 'snapshot.createdAt is not a number', version);
  }
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    return reject('malformed', 'snapshot.expiresAt is not a number', version);
  }
  if (name !== opts.name)
    return reject('wrong-name', `snapshot is for "${name}", expected "${opts.name}"`, version);
  if (version === opts.currentVersion)
    return reject('same-version', `already at version ${version}`, version);
  if (version < opts.currentVersion) {
    return reject(
      'older-version',
      `version ${version} is older than the current ${opts.currentVersion}`,
      version,
    );
  }
  if (expiresAt !== undefined && expiresAt <= opts.nowMs) {
    return reject('expired', `expired at ${new Date(expiresAt).toISOString()}`, version);
  }
  const checked = opts.validate(snap.data);
  if (!checked.ok) return reject('schema', checked.reason, version);
  const snapshot: ConfigSnapshot<T> = {
    name,
    version,
    createdAt,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    data: checked.value,
  };
  return { ok: true, snapshot: deepFreeze(snapshot) };
}

function reject(reason: RejectReason, detail: string, version?: number): VerifyResult<never> {
  return version === undefined ? { ok: false, reason, detail } : { ok: false, reason, detail, version };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
