import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { ADMIN_TOKEN_MIN_CHARS, parseAdminToken } from './parse-admin-token.js';

function refusal(text: string): string {
  try {
    parseAdminToken(text, 'MERIDIAN_ADMIN_TOKEN');
  } catch (err) {
    expect(isMeridianError(err, 'MERIDIAN_HTTP_ADMIN_TOKEN_INVALID')).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('parseAdminToken', () => {
  it.each([
    ['empty', ''],
    ['whitespace only', ' \n\t '],
    ['one character', 'x'],
    ['one short of the minimum', 'a'.repeat(ADMIN_TOKEN_MIN_CHARS - 1)],
    ['a space inside', 'abcdefgh ijklmnopq'],
    ['a control character inside', 'abcdefgh\u0001ijklmnopq'],
    ['a non-ASCII character', 'abcdefghijklmnopé'],
    ['absurdly long', 'a'.repeat(5000)],
  ])('refuses %s, saying where and how to make one', (_what, text) => {
    const message = refusal(text);
    expect(message).toContain('MERIDIAN_ADMIN_TOKEN');
    expect(message).toMatch(/openssl rand/);
  });

  it('takes a token of the minimum length and trims a trailing newline (token files)', () => {
    expect(parseAdminToken('a'.repeat(ADMIN_TOKEN_MIN_CHARS), 'x')).toBe('a'.repeat(ADMIN_TOKEN_MIN_CHARS));
    expect(parseAdminToken('  Zm9vYmFyYmF6cXV4LXF1dXg=\n', 'x')).toBe('Zm9vYmFyYmF6cXV4LXF1dXg=');
  });

  it('needs at least 16 characters', () => {
    expect(ADMIN_TOKEN_MIN_CHARS).toBeGreaterThanOrEqual(16);
  });
});
