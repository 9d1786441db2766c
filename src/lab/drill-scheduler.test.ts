import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { describeDrillEvent, planDrill } from './drill-plan.js';
import { type DrillActions, DrillScheduler } from './drill-scheduler.js';

function recordingActions(calls: Array<[number, string]>, clock: ManualClock, fail?: string): DrillActions {
  const record = (e: Parameters<DrillActions['home-down']>[0] | { kind: string }) => {
    const label = describeDrillEvent(e as never);
    calls.push([clock.monotonic(), label]);
    if (label === fail) throw new Error(`cannot ${label}`);
  };
  return {
    'region-down': record,
    'region-up': record,
    'region-pause': record,
    'region-resume': record,
    'home-down': record,
    'home-up': record,
    'config-source-down': record,
    'config-source-up': record,
    rollout: record,
    drain: record,
    undrain: record,
    'latency-add': record,
    'latency-clear': record,
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('DrillScheduler', () => {
  it('calls each action at its time, in order', async () => {
    const clock = new ManualClock();
    const calls: Array<[number, string]> = [];
    const timeline = [
      ...planDrill({ kind: 'rollout', region: 'r', steps: [1, 5, 100], everyMs: 20_000 }),
      ...planDrill({ kind: 'region-down', region: 'x', forMs: 30_000 }, 5_000),
    ];
    const s = new DrillScheduler(clock, recordingActions(calls, clock), timeline);
    s.start();
    clock.advance(4_999);
    await flush();
    expect(calls).toEqual([[0, 'rollout r 1%']]);
    clock.advance(1);
    await flush();
    expect(calls.at(-1)).toEqual([5_000, 'region-down x']);
    clock.advance(40_000);
    await flush();
    expect(calls).toEqual([
      [0, 'rollout r 1%'],
      [5_000, 'region-down x'],
      [20_000, 'rollout r 5%'],
      [35_000, 'region-up x'],
      [40_000, 'rollout r 100%'],
    ]);
    await s.whenDone();
    expect(s.remaining).toBe(0);
    expect(s.log.map((e) => e.ok)).toEqual([true, true, true, true, true]);
    expect(s.log[1]!.atMs - s.log[0]!.atMs).toBe(5_000);
  });

  it('logs a failing action and carries on', async () => {
    const clock = new ManualClock();
    const calls: Array<[number, string]> = [];
    const s = new DrillScheduler(
      clock,
      recordingActions(calls, clock, 'home-down'),
      planDrill({ kind: 'home-down', forMs: 10 }),
    );
    s.start();
    clock.advance(10);
    await s.whenDone();
    expect(s.log).toMatchObject([
      { ok: false, error: 'cannot home-down', event: { kind: 'home-down' } },
      { ok: true, event: { kind: 'home-up' } },
    ]);
  });

  it('stop() cancels what has not fired', async () => {
    const clock = new ManualClock();
    const calls: Array<[number, string]> = [];
    const s = new DrillScheduler(
      clock,
      recordingActions(calls, clock),
      planDrill({ kind: 'region-pause', region: 'a', forMs: 1000 }),
    );
    s.start();
    clock.advance(0);
    await flush();
    s.stop();
    clock.advance(5000);
    await flush();
    expect(calls).toEqual([[0, 'region-pause a']]);
    expect(clock.pending()).toBe(0);
    await s.whenDone();
  });
});
