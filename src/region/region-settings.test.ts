import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';
import { regionSettings } from './region-settings.js';

const world = (knobs: string, limits = '{}') =>
  lintWorldText(`zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.3.1, overrides: { knobs: { outboxLingerMs: 0 } } }
hostnames:
  links: { workload: links, policy: latency }
services:
  links: { in: all }
template:
  knobs: ${knobs}
  limits: ${limits}
`).world!;

describe('regionSettings', () => {
  it('defaults the flusher: idle re-check 200 ms, linger 50 ms', () => {
    expect(regionSettings(world('{}'), 'us-west-2')).toMatchObject({
      outboxFlushMs: 200,
      outboxLingerMs: 50,
    });
  });

  it('takes the template’s knobs, and a region’s override of 0 (send at once)', () => {
    const w = world('{ outboxFlushMs: 500, outboxLingerMs: 20 }');
    expect(regionSettings(w, 'us-west-2')).toMatchObject({ outboxFlushMs: 500, outboxLingerMs: 20 });
    expect(regionSettings(w, 'eu-west-2')).toMatchObject({ outboxFlushMs: 500, outboxLingerMs: 0 });
  });

  it('defaults the config safety knobs, and takes 0 for "never red" and "no last-good copy"', () => {
    expect(regionSettings(world('{}'), 'us-west-2')).toMatchObject({
      configOlderAlertPolls: 5,
      configOlderUnhealthyMs: 300_000,
      configLastGoodMaxAgeMs: 86_400_000,
    });
    const w = world('{ configOlderAlertPolls: 2, configOlderUnhealthyMs: 0, configLastGoodMaxAgeMs: 0 }');
    expect(regionSettings(w, 'us-west-2')).toMatchObject({
      configOlderAlertPolls: 2,
      configOlderUnhealthyMs: 0,
      configLastGoodMaxAgeMs: 0,
    });
    expect(() => regionSettings(world('{ configOlderAlertPolls: 0 }'), 'us-west-2')).toThrow(
      /knobs\.configOlderAlertPolls is 0, not a number > 0/,
    );
  });

  it('refuses a knob that is not a usable number, naming it and where to fix it', () => {
    expect(() => regionSettings(world('{ outboxLingerMs: -5 }'), 'us-west-2')).toThrow(
      /region us-west-2: knobs\.outboxLingerMs is -5, not a number >= 0; fix template\.knobs\.outboxLingerMs/,
    );
    expect(() => regionSettings(world("{ configPollMs: 'soon' }"), 'us-west-2')).toThrow(
      /knobs\.configPollMs is "soon", not a number > 0/,
    );
  });

  it("limits each client to a share of a partner's rate: 10 % unless the world says otherwise", () => {
    expect(regionSettings(world('{}'), 'us-west-2').clientSharePercent).toBe(10);
    expect(regionSettings(world('{}', '{ clientSharePercent: 25 }'), 'us-west-2').clientSharePercent).toBe(
      25,
    );
    expect(() => regionSettings(world('{}', '{ clientSharePercent: 0 }'), 'us-west-2')).toThrow(
      /limits\.clientSharePercent is 0, not a number > 0/,
    );
    expect(() => regionSettings(world('{}', '{ clientSharePercent: 150 }'), 'us-west-2')).toThrow(
      /limits\.clientSharePercent is 150, more than 100/,
    );
  });
});
