import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { drillActions } from './drill-actions.js';
import { planDrill } from './drill-plan.js';
import { DrillScheduler } from './drill-scheduler.js';

function fakeWorld() {
  const calls: string[] = [];
  return {
    calls,
    processes: {
      kill: (name: string, signal: string) => {
        calls.push(`kill ${name} ${signal}`);
      },
      restart: async (name: string) => {
        calls.push(`restart ${name}`);
      },
      waitForExit: async (name: string) => {
        calls.push(`exited ${name}`);
      },
    },
    control: {
      setDrained: async (region: string, drained: boolean) => {
        calls.push(`drain ${region} ${drained}`);
      },
      setRollout: async (region: string, percent: number) => {
        calls.push(`rollout ${region} ${percent}`);
      },
      setConfigSource: async (mode: string) => {
        calls.push(`config-source ${mode}`);
      },
    },
  };
}

async function play(spec: Parameters<typeof planDrill>[0], homeProcesses?: string[]): Promise<string[]> {
  const w = fakeWorld();
  const clock = new ManualClock();
  const s = new DrillScheduler(
    clock,
    drillActions({ processes: w.processes, control: w.control, ...(homeProcesses ? { homeProcesses } : {}) }),
    planDrill(spec),
  );
  s.start();
  for (let i = 0; i < 200 && s.remaining > 0; i++) {
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
  }
  await s.whenDone();
  expect(s.log.every((e) => e.ok)).toBe(true);
  return w.calls;
}

describe('drillActions', () => {
  it.each([
    [
      { kind: 'region-down', region: 'eu-west-2', forMs: 5000 },
      ['kill region-eu-west-2 SIGKILL', 'exited region-eu-west-2', 'restart region-eu-west-2'],
    ],
    [{ kind: 'region-pause', region: 'a', forMs: 1000 }, ['kill region-a SIGSTOP', 'kill region-a SIGCONT']],
    [
      { kind: 'config-source-down', mode: 'corrupt', forMs: 1000 },
      ['config-source corrupt', 'config-source ok'],
    ],
    [{ kind: 'drain', region: 'a', forMs: 1000 }, ['drain a true', 'drain a false']],
    [
      { kind: 'rollout', region: 'b', steps: [1, 5, 100], everyMs: 2000 },
      ['rollout b 1', 'rollout b 5', 'rollout b 100'],
    ],
  ] as const)('%j', async (spec, expected) => {
    expect(await play(spec)).toEqual(expected);
  });

  it('home-down kills every home process and brings them back', async () => {
    expect(await play({ kind: 'home-down', forMs: 3000 }, ['home', 'region-us-west-2'])).toEqual([
      'kill home SIGKILL',
      'kill region-us-west-2 SIGKILL',
      'exited home',
      'exited region-us-west-2',
      'restart home',
      'restart region-us-west-2',
    ]);
  });
});
