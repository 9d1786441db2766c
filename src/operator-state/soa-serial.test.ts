import { describe, expect, it } from 'vitest';
import { fleetSerial, nextSerial, serialAdd, serialGreater } from './soa-serial.js';

const MAX = 2 ** 32 - 1;

describe('RFC 1982 serial arithmetic', () => {
  it.each([
    [2, 1, true],
    [1, 2, false],
    [1, 1, false],
    [0, MAX, true], // wraps: 0 is one after 4294967295
    [MAX, 0, false],
    [2 ** 31 - 1, 0, true],
    [2 ** 31, 0, false], // exactly half-way: undefined, treated as not greater
    [2 ** 31 + 1, 0, false],
    [5, 2 ** 31 + 10, true],
  ])('%d > %d is %s', (a, b, expected) => {
    expect(serialGreater(a, b)).toBe(expected);
  });

  it('adds modulo 2^32 and refuses steps of 2^31 or more', () => {
    expect(serialAdd(MAX, 1)).toBe(0);
    expect(serialAdd(10, 5)).toBe(15);
    expect(() => serialAdd(1, 2 ** 31)).toThrow(RangeError);
  });
});

describe('nextSerial', () => {
  it.each([
    ['first serial: the candidate', null, 1_800_000_000, 1_800_000_000],
    ['a later candidate wins', 1_800_000_000, 1_800_000_100, 1_800_000_100],
    ['an equal candidate: one more', 1_800_000_000, 1_800_000_000, 1_800_000_001],
    [
      'an older candidate (a file restored with its old mtime): one more',
      1_800_000_000,
      1_700_000_000,
      1_800_000_001,
    ],
    ['across the wrap', MAX, 3, 3],
    ['at the wrap, an older candidate', MAX, MAX - 5, 0],
  ])('%s', (_name, previous, candidate, expected) => {
    const next = nextSerial(previous, candidate);
    expect(next).toBe(expected);
    if (previous !== null) expect(serialGreater(next, previous)).toBe(true);
  });

  it('never goes back over any sequence of candidates', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    let prev: number | null = null;
    for (let i = 0; i < 10_000; i++) {
      const base: number = prev ?? 1_800_000_000;
      const candidate = (base + (rnd() % 2000) - 1000 + 2 ** 32) % 2 ** 32;
      const next = nextSerial(prev, candidate);
      if (prev !== null) expect(serialGreater(next, prev)).toBe(true);
      prev = next;
    }
  });
});

describe('fleetSerial', () => {
  it('is the same for the same epoch and revision, and greater for a later revision', () => {
    const epoch = 1_796_000_000;
    expect(fleetSerial(epoch, 42)).toBe(fleetSerial(epoch, 42));
    for (const r of [0, 1, 41, 1_000_000])
      expect(serialGreater(fleetSerial(epoch, r + 1), fleetSerial(epoch, r))).toBe(true);
    expect(fleetSerial(MAX, 1)).toBe(0);
    expect(() => fleetSerial(epoch, -1)).toThrow(RangeError);
  });
});
