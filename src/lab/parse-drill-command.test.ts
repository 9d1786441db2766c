import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { parseDrillCommand } from './parse-drill-command.js';

const REGIONS = ['us-west-2', 'eu-west-2'];
const NETWORKS = ['london', 'cape-town'];

describe('parseDrillCommand', () => {
  it.each([
    ['region-down eu-west-2', { kind: 'region-down', region: 'eu-west-2' }],
    ['region-down eu-west-2 --for 60s', { kind: 'region-down', region: 'eu-west-2', forMs: 60_000 }],
    ['region-down --for=90s eu-west-2', { kind: 'region-down', region: 'eu-west-2', forMs: 90_000 }],
    ['region-pause eu-west-2', { kind: 'region-pause', region: 'eu-west-2' }],
    ['home-down --for 60s', { kind: 'home-down', forMs: 60_000 }],
    ['config-source-down', { kind: 'config-source-down', mode: 'unavailable' }],
    ['config-source-down --corrupt --for 1m', { kind: 'config-source-down', mode: 'corrupt', forMs: 60_000 }],
    [
      'rollout eu-west-2 --steps 0.1,1,5,25,100 --every 20s',
      { kind: 'rollout', region: 'eu-west-2', steps: [0.1, 1, 5, 25, 100], everyMs: 20_000 },
    ],
    ['drain us-west-2', { kind: 'drain', region: 'us-west-2' }],
    [
      'latency london eu-west-2 --add 150ms --for 5m',
      { kind: 'latency', network: 'london', region: 'eu-west-2', addMs: 150, forMs: 300_000 },
    ],
    [
      'latency london eu-west-2 --add 150',
      { kind: 'latency', network: 'london', region: 'eu-west-2', addMs: 150 },
    ],
    ['slow eu-west-2 --add 0.3s', { kind: 'slow', region: 'eu-west-2', addMs: 300 }],
  ])('%s', (line, spec) => {
    expect(parseDrillCommand(line.split(' '), REGIONS, NETWORKS)).toEqual(spec);
  });

  it.each([
    ['', /which drill/],
    ['reboot eu-west-2', /unknown drill "reboot"/],
    ['region-down', /needs exactly one REGION/],
    ['region-down mars-1', /no region "mars-1" in this world \(regions: us-west-2, eu-west-2\)/],
    ['home-down eu-west-2', /takes no REGION/],
    ['drain eu-west-2 --steps 1', /drain takes no --steps/],
    ['rollout eu-west-2 --steps 1,5', /needs --steps and --every/],
    ['region-down eu-west-2 --for', /--for needs a value/],
    ['region-down eu-west-2 --for soon', /not a duration/],
    ['latency eu-west-2 --add 150ms', /latency needs a NETWORK and a REGION/],
    [
      'latency paris eu-west-2 --add 150ms',
      /no network "paris" in this world \(networks: london, cape-town\)/,
    ],
    ['latency london mars-1 --add 150ms', /no region "mars-1"/],
    ['latency london eu-west-2', /latency needs --add/],
    ['slow eu-west-2 --add 0ms', /between 1 ms and 10 s/],
    ['slow eu-west-2 --add 150ms --steps 1', /slow takes no --steps/],
  ])('rejects %j', (line, message) => {
    try {
      parseDrillCommand(line === '' ? [] : line.split(' '), REGIONS, NETWORKS);
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_LAB_BAD_DRILL')).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('lists the drills in its usage message', () => {
    expect(() => parseDrillCommand(['x'])).toThrow(/rollout REGION --steps 0\.1,1,5,25,100 --every 20s/);
  });
});
