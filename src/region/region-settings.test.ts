import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';
import { regionSettings } from './region-settings.js';

const world = (knobs: string) =>
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
});
