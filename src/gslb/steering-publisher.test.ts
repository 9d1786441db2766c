import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../core/index.js';
import { DnsEngine } from '../dns/index.js';
import { type HealthSource, type HealthTable, tableMatchesWorld } from '../health-table/index.js';
import { HealthMonitor, type Probe } from '../monitor/index.js';
import type { SteeringSnapshot } from '../policy/index.js';
import { healthWith, POLICY_WORLD_YAML, policyWorld } from '../policy/test-support/policy-world.js';
import { SteeringPublisher } from './steering-publisher.js';

const world = policyWorld();
// the same world without af-south-1: a reload that removes a region
const smaller = policyWorld(
  POLICY_WORLD_YAML.replace('  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }\n', '')
    .replace('rollout: { region: af-south-1, percent: 1 }', 'rollout: { region: eu-west-2, percent: 1 }')
    .replace('order: [af-south-1, us-west-2, eu-west-2]', 'order: [us-west-2, eu-west-2]'),
);

/** A health source driven by the test (what the monitor or the fleet consumer would be). */
class FakeSource implements HealthSource {
  #table: HealthTable;
  readonly #listeners = new Set<(t: HealthTable) => void>();
  constructor(table: HealthTable) {
    this.#table = table;
  }
  table(): HealthTable {
    return this.#table;
  }
  onChange(listener: (t: HealthTable) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  publish(table: HealthTable): void {
    this.#table = table;
    for (const l of this.#listeners) l(table);
  }
}

function watch(publisher: SteeringPublisher): SteeringSnapshot[] {
  const seen: SteeringSnapshot[] = [];
  publisher.subscribe((s) => seen.push(s));
  return seen;
}

describe('SteeringPublisher', () => {
  it('never publishes a world with a table of another world: each half waits for the other', () => {
    const publisher = new SteeringPublisher({ world, health: healthWith(world) });
    const seen = watch(publisher);
    const before = publisher.current;

    // reload: the new world arrives first, its health source has not caught up yet
    expect(publisher.setWorld(smaller)).toBe(false);
    expect(publisher.pending).toBe(true);
    expect(publisher.current).toBe(before);
    // a late table of the old world changes nothing either
    expect(publisher.offerHealth(healthWith(world, { down: ['af-south-1'], version: 7 }))).toBe(false);
    expect(publisher.current).toBe(before);
    // the source hands over a table of the new world: one snapshot, both halves new
    const table = healthWith(smaller, { version: 8 });
    expect(publisher.offerHealth(table)).toBe(true);
    expect(publisher.pending).toBe(false);
    expect(publisher.current.baseWorld).toBe(smaller);
    expect(publisher.current.health).toBe(table);

    // the other order: the health source first, then the world
    expect(publisher.offerHealth(healthWith(world, { version: 9 }))).toBe(false);
    expect(publisher.current.baseWorld).toBe(smaller);
    expect(publisher.setWorld(world)).toBe(true);
    expect(publisher.current.health.version).toBe(9);

    expect(seen.map((s) => [s.baseWorld === world ? 'world' : 'smaller', s.health.version])).toEqual([
      ['smaller', 8],
      ['world', 9],
    ]);
    for (const s of seen) expect(tableMatchesWorld(s.health, s.baseWorld)).toBe(true);
  });

  it('follows any health source: its current table, then every table it publishes', () => {
    const source = new FakeSource(healthWith(world, { version: 1 }));
    const publisher = new SteeringPublisher({ world, health: healthWith(world) });
    const stop = publisher.follow(source);
    expect(publisher.current.health.version).toBe(1);
    source.publish(healthWith(world, { down: ['eu-west-2'], version: 2 }));
    expect(publisher.current.health.version).toBe(2);
    expect(publisher.current.health.regions[1]!.serving).toBe(false);
    // the same table again (a source's current table offered twice) keeps the snapshot
    const current = publisher.current;
    expect(publisher.offerHealth(source.table())).toBe(true);
    expect(publisher.current).toBe(current);
    stop();
    source.publish(healthWith(world, { version: 3 }));
    expect(publisher.current.health.version).toBe(2);
  });

  it('keeps rollout overrides across health changes and clears them with a new world', () => {
    const publisher = new SteeringPublisher({ world, health: healthWith(world) });
    const fqdn = world.hostnames.find((h) => h.name === 'links')!.fqdn;
    publisher.setRollout(fqdn, { region: 'af-south-1', basisPoints: 5000, sticky: true });
    publisher.offerHealth(healthWith(world, { version: 2 }));
    const links = () => publisher.current.world.hostnames.find((h) => h.fqdn === fqdn)!;
    expect(links().rollout?.basisPoints).toBe(5000);
    expect(publisher.current.baseWorld).toBe(world);
    publisher.setWorld(world);
    expect(links().rollout).toBeUndefined();
  });

  it('feeds a DnsEngine: a health change makes a new answer cache on the same zone', () => {
    const publisher = new SteeringPublisher({ world, health: healthWith(world) });
    const engine = new DnsEngine({ steering: publisher.current });
    publisher.subscribe((s) => engine.publish(s));
    const first = engine.snapshot;
    publisher.offerHealth(healthWith(world, { down: ['af-south-1'], version: 2 }));
    expect(engine.snapshot).not.toBe(first);
    expect(engine.snapshot.zone).toBe(first.zone);
    expect(engine.steering.health.version).toBe(2);
    publisher.setRollout(world.hostnames[0]!.fqdn, null);
    expect(engine.snapshot.zone).toBe(first.zone);
    publisher.setWorld(smaller);
    publisher.offerHealth(healthWith(smaller));
    expect(engine.snapshot.zone).not.toBe(first.zone);
    expect(engine.snapshot.world.regions).toHaveLength(2);
  });

  it('a reload that removes a region: the monitor hands over a table of the new regions, never a mix', async () => {
    const clock = new ManualClock();
    const probe: Probe = { check: async () => ({ ok: true, durationMs: 1 }) };
    const monitor = new HealthMonitor({ world, clock, probe, random: seededRandom(1) });
    const publisher = new SteeringPublisher({ world, health: monitor.table() });
    const seen = watch(publisher);
    publisher.follow(monitor);
    monitor.start();
    for (let i = 0; i < 20 && !publisher.current.health.regions.every((r) => r.serving); i++) {
      clock.advance(1000);
      await new Promise((resolve) => setImmediate(resolve)); // let the probes settle
    }
    expect(publisher.current.health.regions.every((r) => r.serving)).toBe(true);
    // the order of Gslb#reload
    publisher.setWorld(smaller);
    monitor.setWorld(smaller);
    publisher.offerHealth(monitor.table());
    expect(publisher.pending).toBe(false);
    expect(publisher.current.baseWorld).toBe(smaller);
    expect(publisher.current.health.regions.map((r) => [r.name, r.serving])).toEqual([
      ['us-west-2', true],
      ['eu-west-2', true],
    ]);
    for (const s of seen) expect(tableMatchesWorld(s.health, s.baseWorld)).toBe(true);
    await monitor.stop();
  });
});
