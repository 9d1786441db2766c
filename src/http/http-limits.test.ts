import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { DEFAULT_HTTP_LIMITS, resolveHttpLimits } from './http-limits.js';

describe('resolveHttpLimits', () => {
  it('has timeouts on by default, header deadline within the request deadline', () => {
    const l = resolveHttpLimits({});
    expect(l.headersTimeoutMs).toBeGreaterThan(0);
    expect(l.requestTimeoutMs).toBeGreaterThanOrEqual(l.headersTimeoutMs);
    expect(l.timeoutCheckIntervalMs).toBeLessThanOrEqual(l.headersTimeoutMs);
    expect(l.maxConnectionsPerClient).toBeGreaterThan(0);
    expect(l).toEqual(DEFAULT_HTTP_LIMITS);
    expect(Object.isFrozen(l)).toBe(true);
  });

  it('keeps the connection cap below the open-file limit, with room for files and the database', () => {
    const l = resolveHttpLimits({}, { openFileLimit: 1024 });
    expect(l.maxConnections).toBeLessThan(1024);
    expect(l.maxConnections).toBeGreaterThan(512);
    expect(resolveHttpLimits({ maxConnections: 100 }, { openFileLimit: 1024 }).maxConnections).toBe(100);
    expect(resolveHttpLimits({ maxConnections: 5000 }, { openFileLimit: 1024 }).maxConnections).toBeLessThan(
      1024,
    );
    expect(resolveHttpLimits({}, { openFileLimit: 1_000_000 }).maxConnections).toBe(
      DEFAULT_HTTP_LIMITS.maxConnections,
    );
  });

  it.each<[string, Record<string, number>]>([
    ['a negative timeout', { headersTimeoutMs: -1 }],
    ['a fraction', { maxConnectionsPerClient: 1.5 }],
    ['NaN', { requestTimeoutMs: Number.NaN }],
    ['headers allowed longer than the whole request', { headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 }],
    ['a check interval of 0', { timeoutCheckIntervalMs: 0 }],
  ])('refuses %s with MERIDIAN_HTTP_BAD_LIMIT naming it', (_what, overrides) => {
    let err: unknown;
    try {
      resolveHttpLimits(overrides);
    } catch (x) {
      err = x;
    }
    expect(isMeridianError(err, 'MERIDIAN_HTTP_BAD_LIMIT')).toBe(true);
    expect((err as Error).message).toContain(Object.keys(overrides).at(-1));
  });
});
