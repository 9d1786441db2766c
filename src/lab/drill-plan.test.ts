import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import {
  type DrillSpec,
  describeDrillEvent,
  drillLengthMs,
  parseDurationMs,
  parseRolloutSteps,
  planDrill,
} from './drill-plan.js';

describe('planDrill', () => {
  const cases: Array<[DrillSpec, Array<[number, string]>]> = [
    [
      { kind: 'region-down', region: 'eu-west-2', forMs: 60_000 },
      [
        [0, 'region-down eu-west-2'],
        [60_000, 'region-up eu-west-2'],
      ],
    ],
    [{ kind: 'region-down', region: 'eu-west-2' }, [[0, 'region-down eu-west-2']]],
    [
      { kind: 'region-pause', region: 'a', forMs: 5000 },
      [
        [0, 'region-pause a'],
        [5000, 'region-resume a'],
      ],
    ],
    [
      { kind: 'home-down', forMs: 60_000 },
      [
        [0, 'home-down'],
        [60_000, 'home-up'],
      ],
    ],
    [{ kind: 'config-source-down', mode: 'corrupt' }, [[0, 'config-source-down (corrupt)']]],
    [
      { kind: 'config-source-down', forMs: 10 },
      [
        [0, 'config-source-down (unavailable)'],
        [10, 'config-source-up'],
      ],
    ],
    [
      { kind: 'rollout', region: 'b', steps: [0.1, 1, 5, 25, 100], everyMs: 20_000 },
      [
        [0, 'rollout b 0.1%'],
        [20_000, 'rollout b 1%'],
        [40_000, 'rollout b 5%'],
        [60_000, 'rollout b 25%'],
        [80_000, 'rollout b 100%'],
      ],
    ],
    [{ kind: 'drain', region: 'c' }, [[0, 'drain c']]],
    [
      { kind: 'drain', region: 'c', forMs: 1 },
      [
        [0, 'drain c'],
        [1, 'undrain c'],
      ],
    ],
    [
      { kind: 'latency', network: 'cape-town', region: 'eu-west-2', addMs: 150, forMs: 300_000 },
      [
        [0, 'latency cape-town → eu-west-2 +150 ms'],
        [300_000, 'latency cape-town → eu-west-2 restored'],
      ],
    ],
    [{ kind: 'slow', region: 'eu-west-2', addMs: 300 }, [[0, 'latency every network → eu-west-2 +300 ms']]],
  ];
  it.each(cases)('%j', (spec, expected) => {
    const timeline = planDrill(spec);
    expect(timeline.map((e) => [e.atMs, describeDrillEvent(e.event)])).toEqual(expected);
    expect(drillLengthMs(timeline)).toBe(expected[expected.length - 1]![0]);
  });

  it('shifts a timeline by its start', () => {
    expect(planDrill({ kind: 'home-down', forMs: 5 }, 100).map((e) => e.atMs)).toEqual([100, 105]);
  });
});

describe('parsing drill arguments', () => {
  it.each([
    ['60s', 60_000],
    ['1.5m', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['30', 30_000],
  ])('parses %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 'soon', '-5s', '10 days'])('rejects duration %j with a clear error', (text) => {
    try {
      parseDurationMs(text);
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_LAB_BAD_DRILL')).toBe(true);
      expect((err as Error).message).toMatch(/such as 60s/);
    }
  });

  it('parses rollout steps and rejects bad or decreasing ones', () => {
    expect(parseRolloutSteps('0.1,1,5,25,100')).toEqual([0.1, 1, 5, 25, 100]);
    expect(() => parseRolloutSteps('1,5,250')).toThrow(/between 0 and 100/);
    expect(() => parseRolloutSteps('5,1')).toThrow(/must increase/);
    expect(() => parseRolloutSteps('1,,5')).toThrow(/not a percentage/);
  });
});
