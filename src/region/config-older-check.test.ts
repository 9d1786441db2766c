import { describe, expect, it } from 'vitest';
import { configOlderCheck } from './config-older-check.js';

const streak = (alerting: boolean) => ({
  polls: alerting ? 5 : 2,
  sinceMs: 1_000,
  source: 'home',
  offeredVersion: 1,
  alerting,
});

describe('configOlderCheck', () => {
  it('is green without a run, and during one until it has alerted and lasted the bound', () => {
    expect(configOlderCheck(undefined, 7, 60_000, 0)).toEqual({
      ok: true,
      detail: 'no older snapshot offered',
    });
    expect(configOlderCheck(streak(false), 7, 60_000, 1_000_000).ok).toBe(true);
    expect(configOlderCheck(streak(true), 7, 60_000, 60_999).ok).toBe(true);
    const red = configOlderCheck(streak(true), 7, 60_000, 61_000);
    expect(red).toEqual({
      ok: false,
      detail: 'home offers v1, older than the v7 held, 5 polls in a row for 60 s (red after 60 s)',
    });
  });

  it('never turns red with a bound of 0', () => {
    expect(configOlderCheck(streak(true), 7, 0, 10_000_000)).toMatchObject({
      ok: true,
      detail: expect.stringContaining('never red'),
    });
  });
});
