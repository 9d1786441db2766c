import { describe, expect, it } from 'vitest';
import { applyDashboardEvent } from './apply-dashboard-event.js';
import type { DashboardSnapshot, DashboardTick } from './dashboard-types.js';
import { formatSseEvent, SSE_HEARTBEAT, SseParser } from './sse-frame.js';

describe('SSE frames', () => {
  it('round-trips events split at every byte, with heartbeats between', () => {
    const text =
      formatSseEvent('snapshot', { a: 1, s: 'x\ny' }) + SSE_HEARTBEAT + formatSseEvent('tick', 'two\nlines');
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const events = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(events).toEqual([
        { event: 'snapshot', data: '{"a":1,"s":"x\\ny"}' },
        { event: 'tick', data: 'two\nlines' },
      ]);
    }
  });

  it('reads CRLF line ends and defaults the event name', () => {
    expect(new SseParser().push('data: hi\r\n\r\n')).toEqual([{ event: 'message', data: 'hi' }]);
  });
});

describe('applyDashboardEvent (the page model)', () => {
  const state = {
    server: { mode: 'dns', zone: 'z', worldHash: 'h', controls: 'token', features: { drainPreview: false } },
    atMs: 1,
    hostnames: [],
    regions: [],
    vantages: [],
    matrix: [],
    locations: [],
  } as const;
  const snapshot: DashboardSnapshot = { ...state, share: [{ atMs: 1, shares: { a: 1 } }], markers: [] };

  it('ignores ticks before a snapshot, then appends share points and markers', () => {
    const tick: DashboardTick = {
      ...state,
      atMs: 2,
      share: { atMs: 2, shares: { b: 1 } },
      markers: [{ atMs: 2, kind: 'drain', label: 'x drained' }],
    };
    expect(applyDashboardEvent(null, 'tick', tick)).toBeNull();
    const m = applyDashboardEvent(applyDashboardEvent(null, 'snapshot', snapshot), 'tick', tick)!;
    expect(m.atMs).toBe(2);
    expect(m.share.map((p) => p.atMs)).toEqual([1, 2]);
    expect(m.markers.map((x) => x.label)).toEqual(['x drained']);
    expect(applyDashboardEvent(m, 'other', {})).toBe(m);
  });
});
