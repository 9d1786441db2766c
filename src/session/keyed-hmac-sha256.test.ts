import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedHmacSha256 } from './keyed-hmac-sha256.js';

describe('keyedHmacSha256', () => {
  it('equals node:crypto HMAC-SHA256 for any key, prefix and message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.uint8Array({ maxLength: 20 }),
        fc.uint8Array({ maxLength: 600 }),
        (key, prefix, message) => {
          const end = Math.floor(message.length / 2);
          const mac = keyedHmacSha256(key);
          const want = createHmac('sha256', key).update(prefix).update(message.subarray(0, end)).digest();
          expect(Buffer.from(mac(prefix, message, end), 'latin1')).toEqual(want);
          expect(Buffer.from(mac(prefix, message, message.length), 'latin1')).toEqual(
            createHmac('sha256', key).update(prefix).update(message).digest(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches RFC 4231 test case 2', () => {
    const mac = keyedHmacSha256(Buffer.from('Jefe'));
    const msg = Buffer.from('what do ya want for nothing?');
    expect(Buffer.from(mac(new Uint8Array(0), msg, msg.length), 'latin1').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});
