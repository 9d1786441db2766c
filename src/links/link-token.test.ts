import { describe, expect, it } from 'vitest';
import { createLinkTokenCodec, MAX_LINK_TOKEN_CHARS } from './link-token.js';
import { linksSettingsSchema, PARTNER_ID_PATTERN } from './links-config.js';

const k1 = { id: 1, secret: Buffer.alloc(32, 1) };
const k2 = { id: 2, secret: Buffer.alloc(32, 2) };

describe('link tokens', () => {
  const codec = createLinkTokenCodec([k1]);
  const payload = {
    partnerId: 'acme',
    destination: 'https://shop.example/ü?q=1',
    createdAtMs: 1_700_000_000_000,
  };

  it('round-trips and differs per call', () => {
    const a = codec.encode(payload);
    expect(a).not.toBe(codec.encode(payload));
    expect(codec.decode(a)).toEqual({ ok: true, link: payload });
  });

  it('keeps accepting tokens of a retired key after rotation', () => {
    const old = codec.encode(payload);
    const rotated = createLinkTokenCodec([k2, k1]);
    expect(rotated.decode(old).ok).toBe(true);
    expect(createLinkTokenCodec([k2]).decode(old)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('rejects every single-bit flip, truncation and extension', () => {
    const raw = Buffer.from(codec.encode(payload), 'base64url');
    for (let bit = 0; bit < raw.length * 8; bit++) {
      const m = Buffer.from(raw);
      m[bit >> 3]! ^= 1 << (bit & 7);
      expect(codec.decode(m.toString('base64url')).ok).toBe(false);
    }
    for (let n = 0; n < raw.length; n++)
      expect(codec.decode(raw.subarray(0, n).toString('base64url')).ok).toBe(false);
    expect(codec.decode(Buffer.concat([raw, Buffer.from([0])]).toString('base64url')).ok).toBe(false);
    expect(codec.decode(`${raw.toString('base64url')}=`).ok).toBe(false);
    expect(codec.decode('x'.repeat(6000)).ok).toBe(false);
  });

  it('fits the longest destination and partner id the snapshot allows under the redirect limit', () => {
    // checkDestination bounds the encoded URL (ASCII) by maxDestinationLength; the schema bounds that.
    const maxDestination = linksSettingsSchema.shape.maxDestinationLength.unwrap().maxValue!;
    expect(maxDestination).toBeGreaterThan(2048);
    const maxPartnerId = Number(/\{0,(\d+)\}/.exec(PARTNER_ID_PATTERN.source)![1]) + 1;
    const token = codec.encode({
      partnerId: 'p'.repeat(maxPartnerId),
      destination: `https://shop.example/${'a'.repeat(maxDestination - 'https://shop.example/'.length)}`,
      createdAtMs: 0,
    });
    expect(token.length).toBeLessThanOrEqual(MAX_LINK_TOKEN_CHARS);
  });
});
