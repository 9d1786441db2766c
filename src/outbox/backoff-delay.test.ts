import { describe, expect, it } from 'vitest';
import type { Random } from '../core/index.js';
import { backoffDelayMs } from './backoff-delay.js';

const fixed = (v: number): Random => ({ next: () => v });
const settings = { baseMs: 100, maxMs: 1000 };

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, 50],
    [1, 0.999_999, 100],
    [2, 0, 100],
    [3, 0.5, 300],
    [4, 0, 400],
    [5, 0, 500], // capped at maxMs: 1000 / 2
    [60, 0.999_999, 1000],
    [0, 0, 50], // attempts below 1 count as the first
  ])('attempt %i with random %d waits %i ms', (attempt, r, expected) => {
    expect(backoffDelayMs(attempt, settings, fixed(r))).toBe(expected);
  });
});
