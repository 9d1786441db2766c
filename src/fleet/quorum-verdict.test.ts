import { describe, expect, it } from 'vitest';
import type { Quorum } from '../world/index.js';
import { quorumVerdict } from './quorum-verdict.js';

// [rule, up, fresh, verdict]
const TABLE: [Quorum, number, number, 'up' | 'down' | 'none'][] = [
  ['majority', 0, 0, 'none'],
  ['majority', 1, 1, 'up'],
  ['majority', 0, 1, 'down'],
  ['majority', 1, 2, 'up'], // a tie stays up: one cut path of two evicts nothing
  ['majority', 0, 2, 'down'],
  ['majority', 2, 3, 'up'], // the blackhole case: one of three sees it down
  ['majority', 1, 3, 'down'],
  ['majority', 2, 4, 'up'],
  ['majority', 1, 4, 'down'],
  ['majority', 5, 10, 'up'],
  ['majority', 4, 10, 'down'],
  ['any', 1, 3, 'up'],
  ['any', 0, 3, 'down'],
  ['any', 0, 0, 'none'],
  ['all', 3, 3, 'up'],
  ['all', 2, 3, 'down'],
  ['all', 1, 1, 'up'],
  [2, 2, 3, 'up'],
  [2, 1, 3, 'down'],
  [2, 1, 1, 'up'], // fewer fresh than N: every fresh vantage must see it up
  [2, 0, 1, 'down'],
  [3, 2, 2, 'up'],
  [3, 1, 2, 'down'],
  [1, 1, 10, 'up'],
  [1, 0, 10, 'down'],
];

describe('quorumVerdict', () => {
  it.each(TABLE)('%s: %i up of %i fresh → %s', (rule, up, fresh, verdict) => {
    expect(quorumVerdict(up, fresh, rule)).toBe(verdict);
  });
});
