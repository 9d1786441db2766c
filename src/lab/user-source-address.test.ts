import { describe, expect, it } from 'vitest';
import { userSourceAddress } from './user-source-address.js';

describe('userSourceAddress', () => {
  it('gives each connection its own loopback address, never .0 or .255, cycling at the end', () => {
    expect(userSourceAddress(0)).toBe('127.77.0.1');
    expect(userSourceAddress(253)).toBe('127.77.0.254');
    expect(userSourceAddress(254)).toBe('127.77.1.1');
    expect(userSourceAddress(256 * 254 - 1)).toBe('127.77.255.254');
    expect(userSourceAddress(256 * 254)).toBe('127.77.0.1');
    const seen = new Set(Array.from({ length: 10_000 }, (_, n) => userSourceAddress(n)));
    expect(seen.size).toBe(10_000);
  });
});
