import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { LiveViewDriver } from './live-view-driver.js';

describe('LiveViewDriver', () => {
  it('draws once per second until stopped, clearing the screen on a TTY', () => {
    const clock = new ManualClock();
    const writes: string[] = [];
    let n = 0;
    const d = new LiveViewDriver({
      clock,
      out: { write: (t: string) => writes.push(t), isTTY: true },
      state: () => ({
        title: `t${n++}`,
        elapsedSeconds: 0,
        windowSeconds: 5,
        locations: [],
        regions: [],
        events: [],
      }),
    });
    d.start();
    clock.advance(2500);
    expect(d.frames).toBe(3);
    expect(writes[2]).toMatch(/^\u001b\[H\u001b\[2Jt2 /);
    d.stop();
    clock.advance(5000);
    expect(d.frames).toBe(3);
    expect(clock.pending()).toBe(0);
  });
});
