// The operator-state bucket on a real 3-node NATS cluster: a change reaches another instance's
// watcher within 1 s, survives a restart of the store with its history, the drain floor holds
// under concurrent operators (compare-and-set), and one node down keeps it working.
import { afterEach, describe, expect, it } from 'vitest';
import { isMeridianError } from '../../core/index.js';
import { deleteStreams, useNatsCluster } from '../../fleet/test-support/nats-cluster.js';
import { checkDrainFloor, type DrainFloorRegion } from '../drain-floor.js';
import type { OperatorRecord } from '../operator-record.js';
import { fleetSerial } from '../soa-serial.js';
import { OperatorStateStore } from './operator-state-store.js';

const cluster = useNatsCluster();
const stores: OperatorStateStore[] = [];
const fleets: string[] = [];
let n = 0;

afterEach(async () => {
  for (const s of stores.splice(0)) await s.stop();
  await deleteStreams(
    cluster().urls,
    fleets.splice(0).map((f) => `KV_meridian-${f}-operator`),
  );
});

function open(fleet: string, servers: readonly string[]): OperatorStateStore {
  const s = new OperatorStateStore({ servers, fleet, name: `test-${stores.length}` });
  stores.push(s);
  s.start();
  return s;
}
function newFleet(): string {
  const f = `ops-test-${process.pid}-${++n}`;
  fleets.push(f);
  return f;
}
const change = (
  action: OperatorRecord['action'],
  target: string,
  reason: string | null = null,
): OperatorRecord => ({
  action,
  target,
  who: 'ana@ops',
  atMs: Date.now(),
  reason,
  forced: false,
});
const REGIONS = ['us-west-2', 'eu-west-2', 'af-south-1'];
const floor = (region: string) => (drains: Readonly<Record<string, unknown>>) => {
  const regions: DrainFloorRegion[] = REGIONS.map((name) => ({
    name,
    drained: drains[name] !== undefined,
    serving: drains[name] === undefined,
  }));
  return checkDrainFloor(regions, { region }, 2);
};

async function until(what: string, fn: () => boolean, timeoutMs = 20_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (fn()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Retries a write while JetStream elects leaders (a node was just killed). */
async function retrying<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isMeridianError(err, 'MERIDIAN_OPERATOR_STATE_UNAVAILABLE') || Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('OperatorStateStore (3-node cluster)', () => {
  it('a drain through one instance reaches another instance on another node within 1 s', async () => {
    const fleet = newFleet();
    const [u0, u1] = cluster().urls;
    const seen: string[] = [];
    const a = open(fleet, [u0!]);
    const b = new OperatorStateStore({
      servers: [u1!],
      fleet,
      onChange: (_s, e) => seen.push(e.key),
    });
    stores.push(b);
    b.start();
    await a.whenCaughtUp();
    await b.whenCaughtUp();
    const { verdict, revision } = await a.drain(
      'af-south-1',
      floor('af-south-1'),
      change('drain', 'af-south-1', 'patch'),
    );
    expect(verdict.ok).toBe(true);
    expect(revision).toBeGreaterThan(0);
    const ms = await until('b sees the drain', () => b.state().drains['af-south-1'] !== undefined, 1000);
    expect(ms).toBeLessThan(1000);
    expect(seen).toContain('drains');
    expect(b.state().drains['af-south-1']).toMatchObject({ who: 'ana@ops', reason: 'patch', forced: false });
    // both instances serve the same serial once they applied the same revision
    expect(a.state().epochSeconds).not.toBeNull();
    await until('a applied it too', () => a.state().revision === b.state().revision);
    expect(fleetSerial(a.state().epochSeconds!, a.state().revision)).toBe(
      fleetSerial(b.state().epochSeconds!, b.state().revision),
    );
  });

  it('survives a restart of the store, with the history of every change', async () => {
    const fleet = newFleet();
    const urls = cluster().urls;
    const a = open(fleet, urls);
    await a.whenCaughtUp();
    await a.drain('af-south-1', floor('af-south-1'), change('drain', 'af-south-1', 'one'));
    await a.undrain('af-south-1', change('undrain', 'af-south-1', 'two'));
    await a.drain('eu-west-2', floor('eu-west-2'), change('drain', 'eu-west-2', 'three'));
    await a.setRollout(
      'links.example.test',
      { region: 'af-south-1', basisPoints: 500, sticky: true },
      change('rollout', 'links.example.test', 'canary'),
    );
    const last = await a.note(change('note', 'af-south-1', 'vendor ticket 42'));
    // the store applies its own writes through its watcher: wait until it has seen the last one
    const deadline = Date.now() + 5000;
    while (a.state().revision < last && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const before = a.state();
    expect(before.revision).toBe(last);
    await a.stop();
    const again = open(fleet, urls);
    await again.whenCaughtUp();
    const after = again.state();
    expect(after.drains).toEqual(before.drains);
    expect(Object.keys(after.drains)).toEqual(['eu-west-2']);
    expect(after.rollouts).toEqual({
      'links.example.test': { region: 'af-south-1', basisPoints: 500, sticky: true },
    });
    expect(after.epochSeconds).toBe(before.epochSeconds);
    expect(after.revision).toBe(before.revision);
    const history = await again.history('drains');
    expect(history.map((h) => `${h.action} ${h.target} ${h.reason}`)).toEqual([
      'drain af-south-1 one',
      'undrain af-south-1 two',
      'drain eu-west-2 three',
    ]);
    const all = await again.history();
    expect(all.map((h) => h.action)).toEqual(['drain', 'undrain', 'drain', 'rollout', 'note']);
  });

  it('the floor holds under concurrent drains through two instances (compare-and-set)', async () => {
    const fleet = newFleet();
    const [u0, u1] = cluster().urls;
    const a = open(fleet, [u0!]);
    const b = open(fleet, [u1!]);
    await Promise.all([a.whenCaughtUp(), b.whenCaughtUp()]);
    await a.drain('af-south-1', floor('af-south-1'), change('drain', 'af-south-1'));
    // each alone would pass (2 left serving → 1 after? no: 3 regions, 1 drained: one more would leave 1)
    const results = await Promise.all([
      a.drain('eu-west-2', floor('eu-west-2'), change('drain', 'eu-west-2')),
      b.drain('us-west-2', floor('us-west-2'), change('drain', 'us-west-2')),
    ]);
    expect(results.filter((r) => r.verdict.ok)).toHaveLength(0);
    await a.undrain('af-south-1', change('undrain', 'af-south-1'));
    const race = await Promise.all([
      a.drain('eu-west-2', floor('eu-west-2'), change('drain', 'eu-west-2')),
      b.drain('us-west-2', floor('us-west-2'), change('drain', 'us-west-2')),
    ]);
    // one of the two passes the floor; the other re-reads and is refused
    expect(race.filter((r) => r.verdict.ok)).toHaveLength(1);
    await until(
      'both see one drain',
      () => Object.keys(b.state().drains).length === 1 && Object.keys(a.state().drains).length === 1,
    );
  });

  it('keeps working with one node killed, and reads catch up when it is back', async () => {
    const c = cluster();
    const fleet = newFleet();
    const a = open(fleet, c.urls);
    const b = open(fleet, [c.urls[2]!, c.urls[0]!]);
    await Promise.all([a.whenCaughtUp(), b.whenCaughtUp()]);
    await c.kill(2);
    try {
      await retrying(() =>
        a.drain('af-south-1', floor('af-south-1'), change('drain', 'af-south-1', 'node down')),
      );
      await until(
        'b sees the drain through another node',
        () => b.state().drains['af-south-1'] !== undefined,
      );
      expect(a.status().connected).toBe(true);
    } finally {
      await c.restart(2);
    }
    await retrying(() => a.undrain('af-south-1', change('undrain', 'af-south-1')));
    await until('b sees the undrain', () => b.state().drains['af-south-1'] === undefined);
  }, 90_000);

  it('refuses writes with MERIDIAN_OPERATOR_STATE_UNAVAILABLE before it is connected', async () => {
    const s = new OperatorStateStore({ servers: ['nats://127.0.0.1:1'], fleet: 'never' });
    s.start();
    stores.push(s);
    await expect(s.note(change('note', 'x', 'y'))).rejects.toMatchObject({
      code: 'MERIDIAN_OPERATOR_STATE_UNAVAILABLE',
    });
    expect(s.state().revision).toBe(0);
  });
});
