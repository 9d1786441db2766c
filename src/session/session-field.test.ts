import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { field, type SessionField } from './session-field.js';

function roundTrip<T>(f: SessionField<T>, value: unknown): T | undefined {
  const v = f.check(value, 'x');
  const out = new Uint8Array(f.size(v));
  expect(f.write(v, out, 0)).toBe(out.length);
  expect(out.length).toBeLessThanOrEqual(f.maxBytes);
  const cursor = { bytes: out, offset: 0, end: out.length };
  const back = f.read(cursor);
  expect(cursor.offset).toBe(out.length);
  return back;
}

describe('field kinds', () => {
  it.each([
    ['string', field.string({ maxBytes: 8 }), 'héllo', 'héllo'],
    ['empty string', field.string({ maxBytes: 8 }), '', ''],
    ['uint 1 byte', field.uint({ max: 200 }), 200, 200],
    ['uint 6 bytes', field.uint({ max: 2 ** 48 - 1 }), 2 ** 48 - 1, 2 ** 48 - 1],
    ['enum', field.enum(['a', 'b', 'c']), 'c', 'c'],
    ['timestamp (ms truncated)', field.timestamp(), 1_767_225_600_123, 1_767_225_600_000],
    ['bytes fixed', field.bytes({ length: 3 }), new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])],
    ['bytes bounded', field.bytes({ maxLength: 3 }), new Uint8Array([9]), new Uint8Array([9])],
    ['flags', field.flags(['a', 'b', 'c']), { a: true, c: true }, { a: true, b: false, c: true }],
  ] as const)('%s round-trips', (_name, f, value, expected) => {
    expect(roundTrip(f as SessionField<unknown>, value)).toEqual(expected);
  });

  it.each([
    ['string too long', field.string({ maxBytes: 3 }), 'abcd', 'at most 3'],
    ['string multi-byte too long', field.string({ maxBytes: 3 }), 'éé', '4 bytes'],
    ['uint over max', field.uint({ max: 10 }), 11, 'from 0 to 10'],
    ['uint fraction', field.uint({ max: 10 }), 1.5, 'whole number'],
    ['enum unknown', field.enum(['a']), 'b', 'one of a'],
    ['timestamp negative', field.timestamp(), -1, 'milliseconds'],
    ['bytes wrong length', field.bytes({ length: 2 }), new Uint8Array(3), 'exactly 2'],
    ['flags unknown', field.flags(['a']), { b: true }, 'x.b'],
    ['flags not boolean', field.flags(['a']), { a: 1 }, 'boolean'],
  ] as const)('rejects %s', (_name, f, value, message) => {
    try {
      (f as SessionField<unknown>).check(value, 'x');
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_SESSION_BAD_ROW')).toBe(true);
      expect((err as Error).message).toContain(message);
    }
  });

  it.each([
    ['string length over max', field.string({ maxBytes: 2 }), [3, 97, 98, 99]],
    ['string bad utf-8', field.string({ maxBytes: 2 }), [1, 0xff]],
    ['string truncated', field.string({ maxBytes: 4 }), [3, 97]],
    ['uint over max', field.uint({ max: 10 }), [11]],
    ['enum index out of range', field.enum(['a', 'b']), [2]],
    ['flags with unused bits set', field.flags(['a', 'b']), [0b0010_0000]],
    ['bytes bounded over max', field.bytes({ maxLength: 1 }), [2, 0, 0]],
    ['nothing left', field.timestamp(), [0, 0, 0]],
  ] as const)('decoding rejects %s', (_name, f, bytes) => {
    const data = new Uint8Array(bytes);
    expect((f as SessionField<unknown>).read({ bytes: data, offset: 0, end: data.length })).toBeUndefined();
  });

  it('rejects bad declarations', () => {
    expect(() => field.string({ maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() => field.uint({ max: 2 ** 53 })).toThrow(/2\^48/);
    expect(() => field.enum(['a', 'a'])).toThrow(/repeat/);
    expect(() => field.flags([])).toThrow(/1–32/);
    expect(() => field.bytes({ length: 256 })).toThrow(/1–255/);
  });
});
