import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { LiveViewState } from '../live-view.js';
import { LiveViewDriver } from './live-view-driver.js';

function state(n: number, events: string[] = []): LiveViewState {
  return {
    title: `t${n}`,
    elapsedSeconds: n,
    windowSeconds: 5,
    locations: [
      {
        name: 'cape-town',
        servingRegion: 'af-south-1',
        rps: 2,
        p50Ms: 19,
        p99Ms: 30,
        errors: 0,
        requests: 10,
      },
    ],
    regions: [{ name: 'af-south-1', isHome: false, health: 'up', trafficShare: 1, outboxBacklog: 0 }],
    events,
  };
}

describe('LiveViewDriver', () => {
  it('on a TTY redraws in place once per second: no screen clear, back up over the last frame', () => {
    const clock = new ManualClock();
    const writes: string[] = [];
    let n = 0;
    const d = new LiveViewDriver({
      clock,
      header: 'dns 127.0.0.1:8053',
      out: { write: (t: string) => writes.push(t), isTTY: true, rows: 40 },
      state: () => state(n++),
    });
    d.start();
    clock.advance(2500);
    expect(d.frames).toBe(3);
    for (const w of writes) expect(w).not.toContain('\u001b[2J');
    expect(writes[0]).toMatch(/^\u001b\[\?25ldns 127\.0\.0\.1:8053/);
    const firstLines = writes[0]!.split('\n').length - 1;
    expect(writes[1]!.startsWith(`\u001b[${firstLines}F`)).toBe(true);
    expect(writes[2]).toContain('t2 ');
    d.stop();
    expect(writes.at(-1)).toBe('\u001b[?25h');
    clock.advance(5000);
    expect(d.frames).toBe(3);
    expect(clock.pending()).toBe(0);
  });

  it('off a TTY prints one plain line per refresh and each drill event once, with no escapes', () => {
    const clock = new ManualClock();
    const writes: string[] = [];
    let n = 0;
    const events = [
      ['0:01 region-down af-south-1'],
      ['0:01 region-down af-south-1', '0:02 region-up af-south-1'],
    ];
    const d = new LiveViewDriver({
      clock,
      out: { write: (t: string) => writes.push(t) },
      state: () => state(n, events[Math.min(n++, 1)]),
    });
    d.start();
    clock.advance(2000);
    d.stop();
    const text = writes.join('');
    expect(text).not.toContain('\u001b');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('t0');
    expect(lines.filter((l) => l.startsWith('drill: '))).toEqual([
      'drill: 0:01 region-down af-south-1',
      'drill: 0:02 region-up af-south-1',
    ]);
    expect(lines.filter((l) => l.includes('cape-town→af-south-1 19 ms'))).toHaveLength(3);
  });
});
