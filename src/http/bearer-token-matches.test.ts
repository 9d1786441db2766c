import { describe, expect, it } from 'vitest';
import { bearerTokenMatches } from './bearer-token-matches.js';

describe('bearerTokenMatches', () => {
  const token = '0123456789abcdef-token';
  it.each([
    [undefined, false],
    ['', false],
    [token, false],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(1)}`, false],
    ['Bearer ', false],
    [`Basic ${token}`, false],
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
  ])('%s → %s', (header, ok) => {
    expect(bearerTokenMatches(header, token)).toBe(ok);
  });
});
