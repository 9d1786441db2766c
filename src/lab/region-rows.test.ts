import { describe, expect, it } from 'vitest';
import { uniformHealthTable } from '../health-table/index.js';
import { regionRows } from './region-rows.js';

const world = {
  regions: [
    { name: 'home', isHome: true },
    { name: 'a', isHome: false },
    { name: 'b', isHome: false },
    { name: 'c', isHome: false },
  ],
} as never;

describe('regionRows', () => {
  it('prefers what was done to the process, then drain, then the probed state', () => {
    const table = uniformHealthTable(['home', 'a', 'b', 'c'], 'up');
    const health = {
      ...table,
      regions: table.regions.map((r) => (r.name === 'c' ? { ...r, drained: true, serving: false } : r)),
    };
    const rows = regionRows({
      world,
      health,
      processes: { a: 'exited', b: 'paused', c: 'running' },
      share: { home: 0.5, c: 0.5 },
      backlog: { a: 7 },
    });
    expect(rows.map((r) => [r.name, r.health, r.trafficShare, r.outboxBacklog, r.isHome])).toEqual([
      ['home', 'up', 0.5, null, true],
      ['a', 'stopped', 0, 7, false],
      ['b', 'paused', 0, null, false],
      ['c', 'drained', 0.5, null, false],
    ]);
  });

  it('says unknown without a health table', () => {
    expect(regionRows({ world, share: {} }).every((r) => r.health === 'unknown')).toBe(true);
  });
});
