import { describe, expect, it } from 'vitest';
import { checkDrainFloor, type DrainFloorRegion, type DrainFloorRule } from './drain-floor.js';

const up = (name: string): DrainFloorRegion => ({ name, drained: false, serving: true });
const down = (name: string): DrainFloorRegion => ({ name, drained: false, serving: false });
const drained = (name: string): DrainFloorRegion => ({ name, drained: true, serving: false });

interface Case {
  name: string;
  regions: DrainFloorRegion[];
  region: string;
  min: number;
  force?: boolean;
  reason?: string;
  ok: boolean;
  rule: DrainFloorRule;
  says?: string;
}

const CASES: Case[] = [
  {
    name: '3 up, floor 2: first drain passes',
    regions: [up('a'), up('b'), up('c')],
    region: 'a',
    min: 2,
    ok: true,
    rule: 'above-floor',
  },
  {
    name: '1 drained, floor 2: second drain refused',
    regions: [drained('a'), up('b'), up('c')],
    region: 'b',
    min: 2,
    ok: false,
    rule: 'serving-floor',
    says: 'would leave 1 region serving (c); drain.minServing is 2',
  },
  {
    name: 'one down, floor 2: draining an up one leaves 1 serving',
    regions: [up('a'), up('b'), down('c')],
    region: 'a',
    min: 2,
    ok: false,
    rule: 'serving-floor',
  },
  {
    name: 'draining a down region keeps the serving count',
    regions: [up('a'), up('b'), down('c')],
    region: 'c',
    min: 2,
    ok: true,
    rule: 'above-floor',
  },
  {
    name: 'draining down regions still keeps enough undrained',
    regions: [up('a'), down('b'), drained('c')],
    region: 'b',
    min: 2,
    ok: false,
    rule: 'undrained-floor',
    says: 'would leave 1 region undrained (a)',
  },
  {
    name: 'a drained region drains again: no-op',
    regions: [drained('a'), up('b')],
    region: 'a',
    min: 2,
    ok: true,
    rule: 'already-drained',
  },
  { name: 'unknown region', regions: [up('a')], region: 'zz', min: 1, ok: false, rule: 'unknown-region' },
  {
    name: 'floor 0 allows the last drain',
    regions: [up('a'), drained('b')],
    region: 'a',
    min: 0,
    ok: true,
    rule: 'above-floor',
  },
  {
    name: 'forced with a reason passes and says so',
    regions: [drained('a'), up('b'), up('c')],
    region: 'b',
    min: 2,
    force: true,
    reason: 'b is corrupting writes',
    ok: true,
    rule: 'forced',
    says: 'forced below the floor',
  },
  {
    name: 'forced without a reason is refused',
    regions: [drained('a'), up('b'), up('c')],
    region: 'b',
    min: 2,
    force: true,
    reason: '  ',
    ok: false,
    rule: 'force-without-reason',
  },
  {
    name: 'force above the floor is a plain drain',
    regions: [up('a'), up('b'), up('c')],
    region: 'a',
    min: 2,
    force: true,
    ok: true,
    rule: 'above-floor',
  },
];

describe('checkDrainFloor', () => {
  it.each(CASES)('$name', (c) => {
    const v = checkDrainFloor(
      c.regions,
      {
        region: c.region,
        ...(c.force ? { force: c.force } : {}),
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
      },
      c.min,
    );
    expect({ ok: v.ok, rule: v.rule }).toEqual({ ok: c.ok, rule: c.rule });
    expect(v.forced).toBe(c.rule === 'forced');
    if (c.says) expect(v.reason).toContain(c.says);
  });

  it('lists the regions serving before and after', () => {
    const v = checkDrainFloor([up('a'), up('b'), down('c')], { region: 'a' }, 1);
    expect(v).toMatchObject({ servingBefore: ['a', 'b'], servingAfter: ['b'], undrainedAfter: ['b', 'c'] });
  });
});
