import { describe, expect, it } from 'vitest';
import { deadRegionAnsweredMs, detectionWindowMs } from './detection-window.js';

describe('detectionWindowMs', () => {
  it.each([
    [{ intervalMs: 500, timeoutMs: 300, fall: 2 }, 1300],
    [{ intervalMs: 100, timeoutMs: 100, fall: 2 }, 300],
    [{ intervalMs: 100, timeoutMs: 250, fall: 3 }, 1000], // probes spaced by the timeout
    [{ intervalMs: 1000, timeoutMs: 50, fall: 1 }, 1050],
    [{ intervalMs: 1000, timeoutMs: 50, fall: 0 }, 1050], // fall below 1 counts as 1
  ])('%o → %i ms', (h, ms) => {
    expect(detectionWindowMs(h)).toBe(ms);
  });
});

describe('deadRegionAnsweredMs', () => {
  it('is the detection window plus the TTL', () => {
    const h = { intervalMs: 250, timeoutMs: 400, fall: 2 };
    expect(deadRegionAnsweredMs(h, 0)).toBe(detectionWindowMs(h));
    expect(deadRegionAnsweredMs(h, 10)).toBe(1200 + 10_000);
  });
});
