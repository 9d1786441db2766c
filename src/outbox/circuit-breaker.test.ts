import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens after the threshold, half-opens after openMs, closes on success', () => {
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 1000 });
    expect(b.state(0)).toBe('closed');
    expect(b.recordFailure(0)).toBe(false);
    expect(b.recordFailure(10)).toBe(false);
    expect(b.waitMs(10)).toBe(0);
    expect(b.recordFailure(20)).toBe(true);
    expect(b.state(20)).toBe('open');
    expect(b.waitMs(520)).toBe(500);
    expect(b.state(1020)).toBe('half-open');
    expect(b.waitMs(1020)).toBe(0);
    expect(b.recordSuccess()).toBe(true);
    expect(b.state(1020)).toBe('closed');
    expect(b.recordSuccess()).toBe(false);
  });

  it('re-opens for a full period when the trial request fails', () => {
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 1000 });
    expect(b.recordFailure(0)).toBe(true);
    expect(b.state(1000)).toBe('half-open');
    expect(b.recordFailure(1000)).toBe(true);
    expect(b.state(1999)).toBe('open');
    expect(b.waitMs(1500)).toBe(500);
  });

  it('a success resets the failure count', () => {
    const b = new CircuitBreaker({ failureThreshold: 2, openMs: 1000 });
    b.recordFailure(0);
    b.recordSuccess();
    expect(b.recordFailure(1)).toBe(false);
    expect(b.state(1)).toBe('closed');
  });
});
