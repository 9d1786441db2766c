import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { HealthRegistry } from '../health-registry.js';
import { installSignalDrain } from './install-signal-drain.js';

function setup() {
  const clock = new ManualClock();
  const registry = new HealthRegistry({ clock });
  const source = new EventEmitter();
  let stops = 0;
  const drain = installSignalDrain({
    registry,
    graceMs: 5_000,
    clock,
    source,
    stop: () => {
      stops++;
    },
  });
  return { clock, registry, source, drain, stops: () => stops };
}

describe('installSignalDrain', () => {
  it('SIGTERM drains at once and stops after the grace period', async () => {
    const { clock, registry, source, drain, stops } = setup();
    source.emit('SIGTERM');
    expect(registry.draining).toBe(true);
    expect((await registry.run()).status).toBe(503);
    clock.advance(4_999);
    expect(stops()).toBe(0);
    clock.advance(1);
    await drain.stopped;
    expect(stops()).toBe(1);
    expect(source.listenerCount('SIGTERM')).toBe(0);
  });

  it('a second SIGTERM stops at once', async () => {
    const { clock, source, drain, stops } = setup();
    source.emit('SIGTERM');
    source.emit('SIGTERM');
    await drain.stopped;
    expect(stops()).toBe(1);
    clock.advance(10_000);
    expect(stops()).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('uninstall removes the listener and cancels a pending stop', () => {
    const { clock, source, drain, stops } = setup();
    drain.trigger();
    drain.uninstall();
    expect(source.listenerCount('SIGTERM')).toBe(0);
    clock.advance(10_000);
    expect(stops()).toBe(0);
  });
});
