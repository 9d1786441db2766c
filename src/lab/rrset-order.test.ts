import { describe, expect, it } from 'vitest';
import { orderForReply } from './rrset-order.js';

describe('orderForReply', () => {
  it('keeps the name server order when told to', () => {
    const a = ['127.0.3.1', '127.0.2.1'];
    expect(orderForReply(a, 'keep', () => 0.99)).toBe(a);
  });

  it('rotates by a random offset, as unbound rrset-roundrobin does', () => {
    const a = ['a', 'b', 'c'];
    expect(orderForReply(a, 'rotate', () => 0)).toEqual(['a', 'b', 'c']);
    expect(orderForReply(a, 'rotate', () => 0.4)).toEqual(['b', 'c', 'a']);
    expect(orderForReply(a, 'rotate', () => 0.9)).toEqual(['c', 'a', 'b']);
    expect(a).toEqual(['a', 'b', 'c']);
  });

  it('puts the nearest region first about half the time for two answers', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    let first = 0;
    for (let i = 0; i < 1000; i++)
      if (orderForReply(['near', 'far'], 'rotate', random)[0] === 'near') first++;
    expect(first).toBeGreaterThan(400);
    expect(first).toBeLessThan(600);
  });
});
