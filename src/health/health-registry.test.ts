import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { isMeridianError, ManualClock } from '../core/index.js';
import { HealthRegistry } from './health-registry.js';

describe('HealthRegistry', () => {
  it('runs sync and async checks, turns red on a critical failure, and lists every check', async () => {
    const health = new HealthRegistry({ clock: new ManualClock() });
    let warm = false;
    health.register({ name: 'config-warm', critical: true, check: () => warm });
    health.register({
      name: 'outbox-backlog',
      critical: false,
      check: async () => ({ ok: false, detail: '12000 rows' }),
    });
    health.register({
      name: 'throws',
      critical: false,
      check: () => {
        throw new Error('boom');
      },
    });
    let report = await health.run();
    expect(report).toMatchObject({ status: 503, failing: ['config-warm'] });
    expect(report.checks).toMatchObject([
      { name: 'config-warm', critical: true, ok: false },
      { name: 'outbox-backlog', critical: false, ok: false, detail: '12000 rows' },
      { name: 'throws', critical: false, ok: false, detail: 'boom' },
    ]);
    warm = true;
    report = await health.run();
    expect(report).toMatchObject({ status: 200, ok: true, failing: [] });
  });

  it('fails an async check that outlives its timeout (driven by the clock)', async () => {
    const clock = new ManualClock();
    const health = new HealthRegistry({ clock, defaultTimeoutMs: 500 });
    health.register({ name: 'db', critical: true, check: () => new Promise<boolean>(() => {}) });
    const pending = health.run();
    await Promise.resolve();
    clock.advance(500);
    const report = await pending;
    expect(report.checks[0]).toMatchObject({ name: 'db', ok: false, detail: 'timed out after 500 ms' });
    expect(clock.pending()).toBe(0);
  });

  it('drains for good, with an event and a gauge', async () => {
    const registry = new Registry();
    const health = new HealthRegistry({ clock: new ManualClock(), registry });
    health.register({ name: 'ok', critical: true, check: () => true });
    const events: unknown[] = [];
    health.events.on('meridian:health:draining', (e) => events.push(e));
    health.drain();
    health.drain();
    expect(health.draining).toBe(true);
    expect(await health.run()).toMatchObject({ status: 503, draining: true, failing: [] });
    expect(events).toHaveLength(1);
    const text = await registry.metrics();
    expect(text).toContain('meridian_health_draining 1');
    expect(text).toContain('meridian_health_check_passing{check="ok",critical="true"} 1');
  });

  it('reports check flips as events', async () => {
    const health = new HealthRegistry({ clock: new ManualClock() });
    let ok = true;
    health.register({ name: 'flappy', critical: true, check: () => ok });
    const seen: boolean[] = [];
    health.events.on('meridian:health:check-changed', (e: { ok: boolean }) => seen.push(e.ok));
    await health.run();
    ok = false;
    await health.run();
    await health.run();
    ok = true;
    await health.run();
    expect(seen).toEqual([false, true]);
  });

  it('rejects bad and repeated names, and unregisters', async () => {
    const health = new HealthRegistry({ clock: new ManualClock() });
    const off = health.register({ name: 'a', critical: true, check: () => false });
    expect(() => health.register({ name: 'a', critical: true, check: () => true })).toThrow(
      /already registered/,
    );
    try {
      health.register({ name: 'Bad Name', critical: true, check: () => true });
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_HEALTH_BAD_CHECK')).toBe(true);
    }
    off();
    expect(health.names()).toEqual([]);
    expect((await health.run()).status).toBe(200);
  });
});
