import { describe, expect, it } from 'vitest';
import { toDataValidator } from './data-validator.js';
import { signSnapshot } from './sign-snapshot.js';
import { toPrivateKey, toPublicKey } from './signing-keys.js';
import type { ConfigSnapshot } from './snapshot.js';
import { keys, otherKeys, partners, partnersSchema } from './test-support/fixtures.js';
import { type RejectReason, verifySnapshot } from './verify-snapshot.js';

const NOW = Date.UTC(2026, 5, 1);
const priv = toPrivateKey(keys.privateKey);
const opts = {
  name: 'partners',
  publicKey: toPublicKey(keys.publicKey),
  validate: toDataValidator(partnersSchema),
  currentVersion: 5,
  nowMs: NOW,
  maxBytes: 4096,
};

function snap(over: Partial<ConfigSnapshot<unknown>> = {}): ConfigSnapshot<unknown> {
  return { name: 'partners', version: 6, createdAt: NOW - 1000, data: partners(2), ...over };
}

function tamperPayload(bytes: Buffer): Buffer {
  const env = JSON.parse(bytes.toString()) as { payload: string };
  const payload = Buffer.from(env.payload, 'base64').toString().replace('"version":6', '"version":7');
  return Buffer.from(JSON.stringify({ ...env, payload: Buffer.from(payload).toString('base64') }));
}

function envelopeWithPayload(payload: string): Buffer {
  const env = JSON.parse(signSnapshot(snap(), priv).toString()) as Record<string, string>;
  return Buffer.from(JSON.stringify({ ...env, payload: Buffer.from(payload).toString('base64') }));
}

const cases: [string, () => Uint8Array, RejectReason][] = [
  ['corrupt JSON', () => Buffer.from('{"format":"meridian-config/1","payl'), 'malformed'],
  ['not an object', () => Buffer.from('[1,2]'), 'malformed'],
  ['unknown format', () => Buffer.from('{"format":"x","payload":"","signature":""}'), 'malformed'],
  ['too large', () => Buffer.alloc(5000, 32), 'too-large'],
  ['signed by another key', () => signSnapshot(snap(), toPrivateKey(otherKeys.privateKey)), 'bad-signature'],
  ['payload changed after signing', () => tamperPayload(signSnapshot(snap(), priv)), 'bad-signature'],
  ['signature replaced by a valid one of other bytes', () => envelopeWithPayload('{"x":1}'), 'bad-signature'],
  ['other config name', () => signSnapshot(snap({ name: 'links' }), priv), 'wrong-name'],
  ['same version', () => signSnapshot(snap({ version: 5 }), priv), 'same-version'],
  ['older version', () => signSnapshot(snap({ version: 4 }), priv), 'older-version'],
  ['expired', () => signSnapshot(snap({ expiresAt: NOW }), priv), 'expired'],
  [
    'data fails the schema',
    () => signSnapshot(snap({ data: { partners: { a: { name: 1 } } } }), priv),
    'schema',
  ],
  ['non-integer version', () => signSnapshot(snap({ version: 6.5 }), priv), 'malformed'],
];

describe('verifySnapshot', () => {
  it.each(cases)('refuses %s', (_label, bytes, reason) => {
    const r = verifySnapshot(bytes(), opts);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail).not.toBe('');
    }
  });

  it('accepts a newer, unexpired, schema-valid snapshot and deep-freezes it', () => {
    const r = verifySnapshot(signSnapshot(snap({ expiresAt: NOW + 1 }), priv), opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.snapshot.version).toBe(6);
    expect(r.snapshot.expiresAt).toBe(NOW + 1);
    expect(r.snapshot.data).toEqual(partners(2));
    expect(Object.isFrozen(r.snapshot)).toBe(true);
    expect(Object.isFrozen((r.snapshot.data as { partners: Record<string, object> }).partners.p0)).toBe(true);
  });

  it('explains a schema failure with the field path', () => {
    const r = verifySnapshot(
      signSnapshot(snap({ data: { partners: { a: { name: 'A', plan: 'gold' } } } }), priv),
      opts,
    );
    expect(!r.ok && r.detail).toMatch(/partners\.a\.plan/);
  });

  it('accepts a plain validator function as the schema', () => {
    const validate = (d: unknown) =>
      typeof d === 'object' && d !== null && 'partners' in d
        ? { ok: true as const, value: d }
        : { ok: false as const, reason: 'no partners' };
    expect(verifySnapshot(signSnapshot(snap(), priv), { ...opts, validate }).ok).toBe(true);
    const r = verifySnapshot(signSnapshot(snap({ data: {} }), priv), { ...opts, validate });
    expect(!r.ok && r.detail).toBe('no partners');
  });
});
