import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64UrlStrict, encodeBase64Url } from './strict-base64url.js';

describe('strict base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(decodeBase64UrlStrict(encodeBase64Url(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it.each([
    ['padding', 'AQI='],
    ['standard alphabet +', 'A+8'],
    ['standard alphabet /', 'A/8'],
    ['whitespace', 'AQ I'],
    ['impossible length', 'AQIDB'],
    ['non-zero trailing bits (2 chars)', 'AR'],
    ['non-zero trailing bits (3 chars)', 'AQF'],
    ['non-ASCII', 'AQé'],
  ])('rejects %s', (_name, text) => {
    expect(decodeBase64UrlStrict(text)).toBeUndefined();
  });
});
