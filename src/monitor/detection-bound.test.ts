import { describe, expect, it } from 'vitest';
import { detectionBoundMs } from './detection-bound.js';

describe('detectionBoundMs', () => {
  it.each([
    [{ intervalMs: 500, timeoutMs: 300, fall: 2 }, 1300],
    [{ intervalMs: 100, timeoutMs: 100, fall: 2 }, 300],
    [{ intervalMs: 100, timeoutMs: 250, fall: 3 }, 1000], // probes spaced by the timeout
    [{ intervalMs: 1000, timeoutMs: 50, fall: 1 }, 1050],
  ])('%o → %i ms', (h, ms) => {
    expect(detectionBoundMs(h)).toBe(ms);
  });
});
