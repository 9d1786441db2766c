import { Registry } from 'prom-client';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isMeridianError, ManualClock } from '../core/index.js';
import { createSessionCodec } from './session-codec.js';
import { field } from './session-field.js';
import { defineSessionFormat } from './session-format.js';
import { createSessionKeyRing } from './session-key-ring.js';
import type { SessionRevocations } from './session-revocations.js';
import { exampleCodec, exampleFormat, exampleRow, secret1, secret2 } from './test-support/example-format.js';

const HOUR = 3600;

describe.each(['mac', 'aead'] as const)('session codec (%s)', (mode) => {
  it('issues a URL-safe, prefixed ID that verifies to the same row', () => {
    const { codec, clock } = exampleCodec(mode);
    const id = codec.issue(exampleRow, { ttlSeconds: HOUR });
    expect(id).toMatch(/^s_[A-Za-z0-9_-]+$/);
    expect(id.length).toBeLessThanOrEqual(codec.maxIdLength);
    expect(encodeURIComponent(id)).toBe(id);
    const result = codec.verify(id);
    expect(result).toEqual({
      ok: true,
      session: {
        row: exampleRow,
        keyId: 1,
        issuedAtMs: clock.now(),
        expiresAtMs: clock.now() + HOUR * 1000,
        sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
      },
    });
  });

  it('expires exactly at issue time + ttl, and rejects IDs from the future beyond the skew', () => {
    const { codec, clock } = exampleCodec(mode);
    const id = codec.issue(exampleRow, { ttlSeconds: 10 });
    clock.advance(9_999);
    expect(codec.verify(id).ok).toBe(true);
    clock.advance(1);
    expect(codec.verify(id)).toEqual({ ok: false, reason: 'expired' });

    const future = exampleCodec(mode, { clock: new ManualClock(clock.now() + 61_000) }).codec;
    const early = future.issue(exampleRow, { ttlSeconds: HOUR });
    const skewed = exampleCodec(mode, { clock, clockSkewSeconds: 60 }).codec;
    expect(skewed.verify(early)).toEqual({ ok: false, reason: 'not-yet-valid' });
    clock.advance(1_000);
    expect(skewed.verify(early).ok).toBe(true);
  });

  it('rejects an unknown key id and a forged tag', () => {
    const { codec } = exampleCodec(mode);
    const otherRing = createSessionKeyRing({ keys: [{ id: 7, secret: secret1 }], activeKeyId: 7 });
    const other = exampleCodec(mode, { keys: otherRing }).codec;
    expect(codec.verify(other.issue(exampleRow, { ttlSeconds: HOUR }))).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
    const sameIdOtherSecret = createSessionKeyRing({ keys: [{ id: 1, secret: secret2 }], activeKeyId: 1 });
    const forger = exampleCodec(mode, { keys: sameIdOtherSecret }).codec;
    expect(codec.verify(forger.issue(exampleRow, { ttlSeconds: HOUR }))).toEqual({
      ok: false,
      reason: 'bad-mac',
    });
  });

  it('rejects malformed input before decoding, whatever its type', () => {
    const { codec } = exampleCodec(mode);
    const id = codec.issue(exampleRow, { ttlSeconds: HOUR });
    for (const bad of [
      undefined,
      null,
      42,
      {},
      '',
      's_',
      'x_AAAA',
      `${id}=`,
      `S${id.slice(1)}`,
      'A'.repeat(10_000),
    ]) {
      expect(codec.verify(bad)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(codec.verify(`${id}${'A'.repeat(codec.maxIdLength)}`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps accepting IDs of a retired active key after rotation', () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const before = exampleCodec(mode, {
      clock,
      keys: createSessionKeyRing({ keys: [{ id: 1, secret: secret1 }], activeKeyId: 1 }),
    }).codec;
    const old = before.issue(exampleRow, { ttlSeconds: HOUR });
    const after = exampleCodec(mode, {
      clock,
      keys: createSessionKeyRing({
        keys: [
          { id: 1, secret: secret1 },
          { id: 2, secret: secret2 },
        ],
        activeKeyId: 2,
      }),
    }).codec;
    const fresh = after.issue(exampleRow, { ttlSeconds: HOUR });
    expect(after.verify(old)).toMatchObject({ ok: true, session: { keyId: 1 } });
    expect(after.verify(fresh)).toMatchObject({ ok: true, session: { keyId: 2 } });
    expect(before.verify(fresh)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('applies the current revocations from the getter: by session, by partner, by partner before T', () => {
    let revocations: SessionRevocations | undefined;
    const { codec, clock } = exampleCodec(mode, { revocations: () => revocations });
    const first = codec.issue(exampleRow, { ttlSeconds: HOUR });
    clock.advance(5_000);
    const second = codec.issue(exampleRow, { ttlSeconds: HOUR });
    const otherPartner = codec.issue({ ...exampleRow, partner: 999 }, { ttlSeconds: HOUR });
    const firstId = (codec.verify(first) as { session: { sessionId: string } }).session.sessionId;

    revocations = { sessions: [firstId] };
    expect(codec.verify(first)).toEqual({ ok: false, reason: 'revoked' });
    expect(codec.verify(second).ok).toBe(true);

    revocations = {
      partnersIssuedBefore: [{ partner: '12345', issuedBefore: new Date(clock.now()).toISOString() }],
    };
    expect(codec.verify(first)).toEqual({ ok: false, reason: 'revoked' });
    expect(codec.verify(second).ok).toBe(true);
    expect(codec.verify(otherPartner).ok).toBe(true);

    revocations = { partners: ['12345'] };
    expect(codec.verify(second)).toEqual({ ok: false, reason: 'revoked' });
    expect(codec.verify(otherPartner).ok).toBe(true);
    expect(codec.verify(second, { revocations: {} }).ok).toBe(true);

    revocations = undefined;
    expect(codec.verify(first).ok).toBe(true);
  });

  it('does not accept an ID of a format with the same fields in another order', () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const keys = createSessionKeyRing({ keys: [{ id: 1, secret: secret1 }], activeKeyId: 1 });
    const ab = defineSessionFormat({
      fields: { a: field.uint({ max: 255 }), b: field.uint({ max: 255 }) },
      mode,
    });
    const ba = defineSessionFormat({
      fields: { b: field.uint({ max: 255 }), a: field.uint({ max: 255 }) },
      mode,
    });
    const id = createSessionCodec(ab, { keys, clock }).issue({ a: 1, b: 2 }, { ttlSeconds: HOUR });
    expect(createSessionCodec(ba, { keys, clock }).verify(id)).toEqual({ ok: false, reason: 'bad-mac' });
  });
});

describe('session codec', () => {
  it('keeps the row readable in mac mode and hides it in aead mode', () => {
    const marker = 'zz-secret-region';
    const row = { ...exampleRow, region: marker };
    for (const mode of ['mac', 'aead'] as const) {
      const id = exampleCodec(mode).codec.issue(row, { ttlSeconds: HOUR });
      const body = Buffer.from(id.slice(2), 'base64url');
      expect(body.includes(Buffer.from(marker))).toBe(mode === 'mac');
    }
  });

  it('refuses bad rows and TTLs with clear errors', () => {
    const { codec } = exampleCodec();
    expect(() => codec.issue({ ...exampleRow, region: 'x'.repeat(17) }, { ttlSeconds: 1 })).toThrow(
      /"region" is 17 bytes/,
    );
    expect(() => codec.issue({ ...exampleRow, extra: 1 } as typeof exampleRow, { ttlSeconds: 1 })).toThrow(
      /unknown field "extra"/,
    );
    try {
      codec.issue(exampleRow, { ttlSeconds: 0 });
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_SESSION_BAD_TTL')).toBe(true);
    }
  });

  it('counts issues and verify results in the given registry', async () => {
    const registry = new Registry();
    const { codec } = exampleCodec('mac', { registry });
    const other = createSessionCodec(defineSessionFormat({ fields: { n: field.uint() }, prefix: 'o' }), {
      keys: createSessionKeyRing({ keys: [{ id: 1, secret: secret1 }], activeKeyId: 1 }),
      clock: new ManualClock(),
      registry,
    });
    const id = codec.issue(exampleRow, { ttlSeconds: HOUR });
    codec.verify(id);
    codec.verify('nope');
    other.verify(other.issue({ n: 1 }, { ttlSeconds: 1 }));
    const text = await registry.metrics();
    expect(text).toContain('meridian_session_issued_total{format="s"} 1');
    expect(text).toContain('meridian_session_verify_total{format="s",result="ok"} 1');
    expect(text).toContain('meridian_session_verify_total{format="s",result="malformed"} 1');
    expect(text).toContain('meridian_session_verify_total{format="o",result="ok"} 1');
  });

  it('is much shorter than a JWT: the example row fits in under 90 characters', () => {
    const { codec } = exampleCodec();
    expect(codec.issue(exampleRow, { ttlSeconds: HOUR }).length).toBeLessThan(90);
  });

  it('rejects bad format declarations', () => {
    expect(() => defineSessionFormat({ fields: {} })).toThrow(/at least one field/);
    expect(() => defineSessionFormat({ fields: { 'a;b:uint(1)': field.uint() } })).toThrow(/field name/);
    expect(() => defineSessionFormat({ fields: { a: 'uint' as never } })).toThrow(/is not a field/);
    expect(() => defineSessionFormat({ fields: { a: field.uint() }, prefix: 'Bad_' })).toThrow(/prefix/);
    expect(() =>
      defineSessionFormat({ fields: { a: field.bytes({ length: 2 }) }, partnerField: 'a' }),
    ).toThrow(/partnerField/);
  });

  it('gives each format its own fingerprint', () => {
    expect(exampleFormat('mac').fingerprint).not.toEqual(exampleFormat('aead').fingerprint);
  });
});

describe('session types', () => {
  it('infers the row type from the declared fields', () => {
    const { codec } = exampleCodec();
    const result = codec.verify(codec.issue(exampleRow, { ttlSeconds: 60 }));
    if (!result.ok) throw new Error(result.reason);
    expectTypeOf(result.session.row.device).toEqualTypeOf<'web' | 'ios' | 'android'>();
    expectTypeOf(result.session.row.partner).toEqualTypeOf<number>();
    expectTypeOf(result.session.row.flags).toEqualTypeOf<Readonly<Record<'beta' | 'staff', boolean>>>();
    expectTypeOf(result.session.row.user).toEqualTypeOf<Uint8Array>();
    expect(result.session.row.device).toBe('ios');
  });
});
