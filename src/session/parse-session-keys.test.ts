import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { parseSessionKeys } from './parse-session-keys.js';

const k1 = Buffer.alloc(32, 1).toString('base64');
const k2 = Buffer.alloc(48, 2).toString('base64url');

describe('parseSessionKeys', () => {
  it('reads keys and the active id, from lines or ;-separated text', () => {
    for (const text of [
      `# ring\nactive 2\nkey 1 ${k1}\nkey 2 ${k2}  # newest\n`,
      `active 2; key 1 ${k1}; key 2 ${k2}`,
    ]) {
      const ring = parseSessionKeys(text, 'test');
      expect(ring.active.id).toBe(2);
      expect(ring.ids).toEqual([2, 1]);
      expect(ring.get(1)).toBeDefined();
      expect(ring.get(3)).toBeUndefined();
    }
  });

  it('takes the only key as active when there is one', () => {
    expect(parseSessionKeys(`key 9 ${k1}`, 'test').active.id).toBe(9);
  });

  it.each([
    ['', 'no "key <id> <secret>" entries'],
    [`key 1 ${k1}\nkey 2 ${k1}`, 'no "active <id>" line'],
    [`active 3\nkey 1 ${k1}`, 'active session key 3 is not in the key ring'],
    [`key 1 ${Buffer.alloc(16).toString('base64')}`, 'is 16 bytes; it needs at least 32'],
    ['key 1 not*base64', 'not base64'],
    [`key 256 ${k1}`, 'from 0 to 255'],
    [`active 1\nkey 1 ${k1}\nkey 1 ${k1}`, 'appears twice'],
    [`secret ${k1}`, 'entry 1: expected "active <id>"'],
    [`key 1 ${k1}\nactive 1\nactive 1`, 'entry 3: "active" appears twice'],
  ])('rejects %j', (text, message) => {
    try {
      parseSessionKeys(text, 'keys.txt');
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_SESSION_BAD_KEYS')).toBe(true);
      expect((err as Error).message).toContain('keys.txt');
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).not.toContain(k1);
    }
  });
});
