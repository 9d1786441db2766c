import { describe, expect, it } from 'vitest';
import { clearlyBetter, stableOrder } from './stable-order.js';

const figs = (o: Record<string, number>) => new Map(Object.entries(o));

describe('clearlyBetter', () => {
  it.each([
    // [challenger, incumbent, better?] with max(10 %, 5 ms)
    [94, 100, false], // 6 ms < 10 %
    [89, 100, true], // 11 ms > 10 ms
    [90, 100, false], // exactly 10 ms is not more
    [26, 30, false], // 4 ms < the 5 ms floor
    [24, 30, true],
  ])('%d ms vs %d ms → %s', (c, i, want) => {
    expect(clearlyBetter(c, i)).toBe(want);
  });
});

describe('stableOrder', () => {
  it('without a previous order is nearest first, ties by name', () => {
    expect(stableOrder([], figs({ b: 50, a: 50, c: 10 }))).toEqual(['c', 'a', 'b']);
  });

  it('keeps the incumbent first while the challenger is only a little better', () => {
    expect(stableOrder(['a', 'b'], figs({ a: 100, b: 95 }))).toEqual(['a', 'b']);
  });

  it('switches once the challenger is better by max(10 %, 5 ms)', () => {
    expect(stableOrder(['a', 'b'], figs({ a: 100, b: 85 }))).toEqual(['b', 'a']);
  });

  it('does not flap back and forth around the threshold', () => {
    let order = ['a', 'b'];
    const path: string[] = [];
    for (const b of [99, 97, 95, 93, 91, 93, 95, 97, 99, 101, 103]) {
      order = stableOrder(order, figs({ a: 100, b }));
      path.push(order[0]!);
    }
    expect(new Set(path)).toEqual(new Set(['a']));
  });

  it('places a newly measured region behind known ones unless clearly better', () => {
    expect(stableOrder(['a'], figs({ a: 100, c: 95 }))).toEqual(['a', 'c']);
    expect(stableOrder(['a'], figs({ a: 100, c: 50 }))).toEqual(['c', 'a']);
  });

  it('drops regions that have no figure any more', () => {
    expect(stableOrder(['a', 'gone', 'b'], figs({ b: 10, a: 100 }))).toEqual(['b', 'a']);
  });
});
