import { describe, expect, it } from 'vitest';
import { DecisionHistory, DecisionLog, reasonCode } from './decision-log.js';

const net = {
  hostname: 'links.example.test',
  hostIndex: 0,
  classKey: 'network:cape-town',
  byNetwork: true,
  regions: ['eu-west-2'],
  reasons: ['down:af-south-1', 'ordered-by:table'],
};
const unknown = {
  ...net,
  classKey: 'unknown',
  byNetwork: false,
  regions: ['us-east-1'],
  reasons: ['ordered-by:model'],
};

describe('DecisionLog', () => {
  it('counts located clients by network and unlocated ones by /24 bucket', () => {
    const log = new DecisionLog(1, 64);
    const a = log.register(net);
    const b = log.register(unknown);
    log.count(a, 4, Uint8Array.of(203, 0, 113, 9), 100);
    log.count(a, 4, Uint8Array.of(203, 0, 113, 10), 200);
    log.count(b, 4, Uint8Array.of(192, 0, 2, 1), 300);
    const recs = log.records().map((r) => [r.where, r.regions, r.count, r.lastSeenMs]);
    expect(recs).toEqual([
      ['network:cape-town', ['eu-west-2'], 2, 200],
      ['subnet:192.0.2.0/24', ['us-east-1'], 1, 300],
    ]);
    expect(Object.fromEntries(log.byReason())).toEqual({
      'links.example.test\neu-west-2\ndown': 2,
      'links.example.test\neu-west-2\nordered-by:table': 2,
      'links.example.test\nus-east-1\nordered-by:model': 1,
    });
  });

  it('grows its per-decision arrays only when decisions register', () => {
    const log = new DecisionLog(1, 8);
    for (let i = 0; i < 200; i++) log.register({ ...net, classKey: `network:n${i}` });
    log.count(199, 4, Uint8Array.of(1, 2, 3, 4), 5);
    expect(log.counts[199]).toBe(1);
    expect(log.counts.length).toBeGreaterThanOrEqual(200);
  });

  it('history merges retired snapshots with the live one, bounded', () => {
    const h = new DecisionHistory(1);
    const old = new DecisionLog(1, 8);
    old.count(old.register(net), 4, Uint8Array.of(1, 1, 1, 1), 10);
    h.retire(old);
    const live = new DecisionLog(1, 8);
    live.count(live.register(net), 4, Uint8Array.of(1, 1, 1, 1), 20);
    expect(h.records(live)).toEqual([
      {
        hostname: net.hostname,
        where: 'network:cape-town',
        regions: net.regions,
        reasons: net.reasons,
        count: 2,
        lastSeenMs: 20,
      },
    ]);
    const other = new DecisionLog(1, 8);
    other.count(other.register(unknown), 4, Uint8Array.of(9, 9, 9, 9), 30);
    h.retire(other);
    expect(h.size).toBe(1);
    expect(h.records(null)[0]?.where).toBe('subnet:9.9.9.0/24');
  });

  it('drops the region from a reason code for metric labels', () => {
    expect(['down:a', 'drained:b', 'ordered-by:table', 'all-down'].map(reasonCode)).toEqual([
      'down',
      'drained',
      'ordered-by:table',
      'all-down',
    ]);
  });
});
