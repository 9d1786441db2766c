import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { DelayLine } from './delay-line.js';

describe('DelayLine', () => {
  it('releases items in order, each no earlier than the delay', () => {
    const clock = new ManualClock();
    const out: Array<[string, number]> = [];
    const line = new DelayLine<string>(clock, 50, (s) => out.push([s, clock.monotonic()]));
    line.push('a');
    clock.advance(10);
    line.push('b');
    clock.advance(39);
    expect(out).toEqual([]);
    clock.advance(1);
    expect(out).toEqual([['a', 50]]);
    clock.advance(10);
    expect(out).toEqual([
      ['a', 50],
      ['b', 60],
    ]);
    expect(line.size).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('delivers a burst together and keeps push order for thousands of items', () => {
    const clock = new ManualClock();
    const out: number[] = [];
    const line = new DelayLine<number>(clock, 5, (n) => out.push(n));
    for (let i = 0; i < 3000; i++) {
      line.push(i);
      if (i % 100 === 0) clock.advance(1);
    }
    clock.advance(10);
    expect(out).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it('applies a changed delay to later pushes without letting them overtake', () => {
    const clock = new ManualClock();
    const out: Array<[string, number]> = [];
    const line = new DelayLine<string>(clock, 100, (s) => out.push([s, clock.monotonic()]));
    line.push('slow');
    line.setDelayMs(10);
    line.push('fast');
    clock.advance(50);
    expect(out).toEqual([]); // 'fast' is due at 10 but waits behind 'slow'
    clock.advance(50);
    expect(out).toEqual([
      ['slow', 100],
      ['fast', 100],
    ]);
    line.push('later');
    clock.advance(10);
    expect(out.at(-1)).toEqual(['later', 110]);
  });

  it('drops everything on close', () => {
    const clock = new ManualClock();
    const out: number[] = [];
    const line = new DelayLine<number>(clock, 5, (n) => out.push(n));
    line.push(1);
    line.close();
    line.push(2);
    clock.advance(100);
    expect(out).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('passes items straight through with a zero delay', () => {
    const clock = new ManualClock();
    const out: number[] = [];
    const line = new DelayLine<number>(clock, 0, (n) => out.push(n));
    line.push(1);
    line.push(2);
    expect(out).toEqual([1, 2]);
    expect(clock.pending()).toBe(0);
  });
});
