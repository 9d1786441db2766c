import { describe, expect, it } from 'vitest';
import { decodeObservation, encodeObservation } from './observation.js';

describe('observation wire form', () => {
  it('round-trips, with the time in ISO 8601 and latency to the microsecond', () => {
    const o = {
      region: 'eu-west-2',
      vantage: 'oregon',
      ok: false,
      latencyMs: 12.3456789,
      reason: 'timeout',
      timeMs: Date.UTC(2026, 11, 6, 1, 2, 3, 456),
    };
    const bytes = encodeObservation(o);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({
      region: 'eu-west-2',
      vantage: 'oregon',
      ok: false,
      latencyMs: 12.346,
      reason: 'timeout',
      time: '2026-12-06T01:02:03.456Z',
    });
    expect(decodeObservation(bytes)).toEqual({ ok: true, value: { ...o, latencyMs: 12.346 } });
  });

  it('rejects malformed messages with a reason instead of throwing', () => {
    const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
    const good = {
      region: 'r',
      vantage: 'v',
      ok: true,
      latencyMs: 1,
      reason: null,
      time: '2026-01-01T00:00:00Z',
    };
    for (const [bytes, reason] of [
      [enc('{'), 'not JSON'],
      [enc('3'), 'not an object'],
      [enc({ ...good, region: 1 }), 'region and vantage must be strings'],
      [enc({ ...good, ok: 'yes' }), 'ok must be a boolean'],
      [enc({ ...good, latencyMs: null }), 'latencyMs must be a number'],
      [enc({ ...good, reason: 5 }), 'reason must be a string or null'],
      [enc({ ...good, time: 'yesterday' }), 'time must be an ISO 8601 date'],
    ] as const) {
      expect(decodeObservation(bytes)).toEqual({ ok: false, reason });
    }
    expect(decodeObservation(enc(good)).ok).toBe(true);
  });
});
