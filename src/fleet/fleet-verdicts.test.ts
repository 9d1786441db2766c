import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintWorldText, type World } from '../world/index.js';
import { FleetVerdicts } from './fleet-verdicts.js';
import type { StoredObservation } from './observation.js';

function worldOf(opts: { quorum?: string; rise?: number; fall?: number; vantages?: string[] } = {}): World {
  const vantages = opts.vantages ?? ['a', 'b', 'c'];
  const text = [
    'zone: example.test',
    'home: us-west-2',
    'regions:',
    '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }',
    '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }',
    `health: { intervalMs: 500, timeoutMs: 300, rise: ${opts.rise ?? 2}, fall: ${opts.fall ?? 2}${opts.quorum ? `, quorum: ${opts.quorum}` : ''} }`,
    'vantages:',
    ...vantages.map((v, i) => `  ${v}: { location: { lat: ${i}, lon: ${i} } }`),
  ].join('\n');
  const r = lintWorldText(text);
  if (!r.world) throw new Error(JSON.stringify(r.diagnostics));
  return r.world;
}

const T0 = Date.UTC(2026, 11, 6);
let seq = 0;
/** An observation stored at stream time T0 + t (probed then too unless `probedAt` says otherwise). */
function obs(
  vantage: string,
  ok: boolean,
  t: number,
  region = 'eu-west-2',
  extra: { probedAt?: number; seq?: number; reason?: string } = {},
): StoredObservation {
  return {
    region,
    vantage,
    ok,
    latencyMs: 5,
    reason: ok ? null : (extra.reason ?? 'ECONNREFUSED'),
    timeMs: T0 + (extra.probedAt ?? t),
    seq: extra.seq ?? ++seq,
    streamTimeMs: T0 + t,
  };
}

const stateOf = (v: FleetVerdicts, region = 'eu-west-2') =>
  v.regionHealth().find((r) => r.name === region)!.state;
const rowOf = (v: FleetVerdicts, nowT: number, region = 'eu-west-2') =>
  v.matrix(T0 + nowT).regions.find((r) => r.region === region)!;

/** Every vantage reports `ok` for both regions once per 500 ms round, from `from` to `to`. */
function rounds(v: FleetVerdicts, from: number, to: number, view: (vantage: string, t: number) => boolean) {
  for (let t = from; t < to; t += 500) {
    for (const [i, vantage] of ['a', 'b', 'c'].entries()) {
      v.apply(obs(vantage, view(vantage, t), t + i * 10));
      v.apply(obs(vantage, true, t + i * 10, 'us-west-2'));
    }
  }
}

describe('FleetVerdicts', () => {
  it('starts unknown for every region, with every vantage shown as not fresh', () => {
    const v = new FleetVerdicts(worldOf());
    expect(v.regionHealth().map((r) => [r.name, r.state, r.serving])).toEqual([
      ['us-west-2', 'unknown', false],
      ['eu-west-2', 'unknown', false],
    ]);
    expect(rowOf(v, 0)).toMatchObject({ failStatic: true, staleVantages: ['a', 'b', 'c'], raw: 'none' });
  });

  it('majority keeps a region that one vantage of three sees down (a blackholed probe path)', () => {
    const v = new FleetVerdicts(worldOf());
    rounds(v, 0, 10_000, (vantage) => vantage !== 'a');
    expect(stateOf(v)).toBe('up');
    expect(v.takeChanges().filter((c) => c.region === 'eu-west-2')).toEqual([
      {
        region: 'eu-west-2',
        from: 'unknown',
        to: 'down',
        atMs: T0,
        reason: 'down from 1 of 1 vantages: a ECONNREFUSED',
      },
      { region: 'eu-west-2', from: 'down', to: 'up', atMs: T0 + 20, reason: null },
    ]);
    const row = rowOf(v, 9_600);
    expect(row).toMatchObject({
      state: 'up',
      freshVantages: 3,
      upVantages: 2,
      disagreeing: ['a'],
      staleVantages: [],
    });
    expect(row.views.map((x) => [x.vantage, x.ok, x.reason, x.fresh])).toEqual([
      ['a', false, 'ECONNREFUSED', true],
      ['b', true, null, true],
      ['c', true, null, true],
    ]);
  });

  it('detects a real failure (every vantage sees it down) after `fall` aggregated verdicts', () => {
    const v = new FleetVerdicts(worldOf());
    rounds(v, 0, 2_000, () => true);
    expect(stateOf(v)).toBe('up');
    v.takeChanges();
    v.apply(obs('a', false, 2_000, 'eu-west-2', { reason: 'timeout' })); // 2 of 3 up: up
    expect(stateOf(v)).toBe('up');
    v.apply(obs('b', false, 2_010)); // 1 of 3 up: first down verdict
    expect(stateOf(v)).toBe('up');
    v.apply(obs('c', false, 2_020)); // second: fall 2
    expect(stateOf(v)).toBe('down');
    expect(v.takeChanges()).toEqual([
      {
        region: 'eu-west-2',
        from: 'up',
        to: 'down',
        atMs: T0 + 2_020,
        reason: 'down from 3 of 3 vantages: a timeout; b ECONNREFUSED; c ECONNREFUSED',
      },
    ]);
    expect(v.regionHealth()[1]).toMatchObject({ serving: false, lastChangeAtMs: T0 + 2_020 });
  });

  it('excludes a stale vantage from the quorum and lists it', () => {
    const v = new FleetVerdicts(worldOf());
    // c saw the region down, then its prober went away; a sees it up, b down
    v.apply(obs('c', false, 0));
    for (let t = 0; t < 6_000; t += 500) {
      v.apply(obs('a', true, t + 1));
      v.apply(obs('b', false, t + 2));
    }
    // with c counted it would be 1 up of 3 (down); without it a tie of 2 fresh (up)
    expect(stateOf(v)).toBe('up');
    expect(rowOf(v, 5_600)).toMatchObject({
      freshVantages: 2,
      upVantages: 1,
      staleVantages: ['c'],
      disagreeing: ['b'],
    });
    expect(rowOf(v, 5_600).views[2]).toMatchObject({ vantage: 'c', ok: false, fresh: false, ageMs: 5_600 });
    expect(v.regionHealth()[1]!.state).toBe('up');
  });

  it('counts a vantage stale exactly when its observation is older than staleAfterMs', () => {
    const v = new FleetVerdicts(worldOf());
    v.apply(obs('a', true, 0));
    expect(rowOf(v, 1_800).views[0]!.fresh).toBe(true); // 1800 ms: the default 3 × 500 + 300
    expect(rowOf(v, 1_801).views[0]!.fresh).toBe(false);
  });

  it('keeps the last verdict when no vantage is fresh (fail static), and flags it', () => {
    const v = new FleetVerdicts(worldOf());
    rounds(v, 0, 2_000, () => true);
    expect(stateOf(v)).toBe('up');
    expect(rowOf(v, 60_000)).toMatchObject({
      state: 'up',
      serving: true,
      failStatic: true,
      freshVantages: 0,
    });
    // an observation probed long ago but published only now (buffered by a cut-off prober) is
    // not fresh either: evaluated, it finds no quorum and changes nothing
    const late = obs('a', false, 60_000, 'eu-west-2', { probedAt: 1_000 });
    expect(v.apply(late)).toBe('applied');
    expect(stateOf(v)).toBe('up');
    expect(rowOf(v, 60_000)).toMatchObject({ raw: 'none', failStatic: true });
  });

  it('skips redeliveries and observations it cannot place, in stream order', () => {
    const v = new FleetVerdicts(worldOf());
    const first = obs('a', true, 0);
    expect(v.apply(first)).toBe('changed');
    expect(v.apply(first)).toBe('duplicate');
    expect(v.apply(obs('a', false, 1, 'eu-west-2', { seq: first.seq - 1 }))).toBe('duplicate');
    expect(v.apply(obs('zz', false, 2))).toBe('ignored');
    expect(v.apply(obs('a', false, 3, 'mars-1'))).toBe('ignored');
    expect(v.lastSequence).toBe(seq);
    expect(stateOf(v)).toBe('up');
  });

  it('settles a catch-up on all the latest views at once, whatever order they were replayed in', () => {
    const replay = [obs('a', false, 0), obs('b', true, 10), obs('c', true, 20)];
    // evaluated one by one with rise 3, the replay order would leave the region down
    const eager = new FleetVerdicts(worldOf({ rise: 3 }));
    for (const o of replay) eager.apply(o);
    expect(stateOf(eager)).toBe('down');
    const settled = new FleetVerdicts(worldOf({ rise: 3 }));
    for (const o of replay) settled.apply(o, false);
    expect(stateOf(settled)).toBe('unknown');
    expect(settled.settle()).toBe(true);
    expect(stateOf(settled)).toBe('up');
  });

  it('uses the world’s quorum rule', () => {
    const all = new FleetVerdicts(worldOf({ quorum: 'all', fall: 1 }));
    rounds(all, 0, 2_000, (vantage) => vantage !== 'a');
    expect(stateOf(all)).toBe('down');
    const any = new FleetVerdicts(worldOf({ quorum: 'any', fall: 1 }));
    rounds(any, 0, 2_000, (vantage) => vantage === 'a');
    expect(stateOf(any)).toBe('up');
  });

  it('setWorld keeps the views and states of kept regions and vantages', () => {
    const v = new FleetVerdicts(worldOf());
    rounds(v, 0, 2_000, () => true);
    const changed = v.setWorld(worldOf({ vantages: ['b', 'c', 'd'] }));
    expect(changed).toBe(false);
    expect(stateOf(v)).toBe('up');
    expect(rowOf(v, 1_600).views.map((x) => [x.vantage, x.ok])).toEqual([
      ['b', true],
      ['c', true],
      ['d', null],
    ]);
  });

  it('is deterministic: instances fed the same stream hold the same verdicts and matrix', () => {
    const observation = fc.record({
      vantage: fc.constantFrom('a', 'b', 'c', 'x'),
      region: fc.constantFrom('us-west-2', 'eu-west-2'),
      ok: fc.boolean(),
      gapMs: fc.integer({ min: 0, max: 1_500 }),
      skewMs: fc.integer({ min: -2_000, max: 200 }),
      redeliver: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 200 }),
        fc.constantFrom('majority', 'any', 'all', '2'),
        (list, q) => {
          const world = worldOf({ quorum: q });
          const one = new FleetVerdicts(world);
          const two = new FleetVerdicts(world);
          let t = 0;
          let s = 0;
          const stream: StoredObservation[] = [];
          for (const o of list) {
            t += o.gapMs;
            const stored = obs(o.vantage, o.ok, t, o.region, { probedAt: t + o.skewMs, seq: ++s });
            stream.push(stored);
            if (o.redeliver) stream.push(stored); // the second consumer also sees redeliveries
          }
          for (const o of stream) two.apply(o);
          for (const o of [...new Set(stream)]) one.apply(o);
          expect(two.regionHealth()).toEqual(one.regionHealth());
          expect(two.matrix(T0 + t)).toEqual(one.matrix(T0 + t));
          expect(two.takeChanges()).toEqual(one.takeChanges());
        },
      ),
      { numRuns: 100 },
    );
  });
});
