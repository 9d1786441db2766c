import { describe, expect, it } from 'vitest';
import { checkName, encodePayload } from './outbox-event.js';

describe('encodePayload', () => {
  it.each([
    [{ a: 1 }, '{"a":1}'],
    ['text', '"text"'],
    [null, 'null'],
    [[1, 'é'], '[1,"é"]'],
  ])('serialises %j', (payload, json) => {
    const r = encodePayload(payload, 1000);
    expect(r).toEqual({ ok: true, json, bytes: Buffer.byteLength(json) });
  });

  it.each([
    [undefined, /undefined/],
    [10n, /not JSON-serialisable/],
    [() => 1, /undefined/],
  ])('refuses %s', (payload, reason) => {
    const r = encodePayload(payload, 1000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it.each([
    ['a\u0000b', /U\+0000/],
    [{ k: '\ud800' }, /unpaired/],
    [['x\udfff'], /unpaired/],
    ['\\\u0000', /U\+0000/], // an escaped backslash, then a real NUL
  ])('refuses %j, which PostgreSQL jsonb cannot store', (payload, reason) => {
    const r = encodePayload(payload, 1000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it.each([['the text \\u0000 is fine'], ['😀 paired surrogates'], ['\\ud800 as text']])(
    'accepts %j',
    (payload) => {
      expect(encodePayload(payload, 1000).ok).toBe(true);
    },
  );

  it('refuses a cycle', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(encodePayload(a, 1000).ok).toBe(false);
  });

  it('counts UTF-8 bytes against the limit', () => {
    expect(encodePayload('éé', 6).ok).toBe(true); // "éé" = 2 quotes + 4 bytes
    const r = encodePayload('ééé', 6);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('8 bytes');
  });
});

describe('checkName', () => {
  it.each([
    ['clicks', null],
    ['links.click:v1/eu-west-2_x', null],
    ['a'.repeat(128), null],
    ['', /1-128 characters/],
    ['a'.repeat(129), /1-128 characters/],
    ['has space', /1-128 characters/],
    ['é', /1-128 characters/],
    [42, /must be a string/],
  ])('%j', (value, expected) => {
    const r = checkName('topic', value);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});
