import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type Clock, isMeridianError, ManualClock, seededRandom } from '../core/index.js';
import type { HealthTable } from '../health-table/index.js';
import { lintWorldText, type World } from '../world/index.js';
import { HealthMonitor, MONITOR_EVENTS, type StateChangeEvent } from './health-monitor.js';
import type { Probe, ProbeResult, ProbeTarget } from './probe.js';

interface RegionSpec {
  address: string;
  health?: string;
}

function worldOf(
  regions: Record<string, RegionSpec>,
  health = '{ path: /healthz, intervalMs: 100, timeoutMs: 50, rise: 2, fall: 2 }',
): World {
  const names = Object.keys(regions);
  const lines = names.map((name, i) => {
    const r = regions[name]!;
    const h = r.health ? `, health: ${r.health}` : '';
    return `  ${name}: { cidr: 10.${10 + i}.0.0/16, address: ${r.address}, location: { lat: ${i}, lon: ${i} }${h} }`;
  });
  const text = [
    'zone: example.test',
    `home: ${names[0]}`,
    'regions:',
    ...lines,
    'hostnames:',
    '  links: { workload: links, policy: latency }',
    'services:',
    '  links: { in: all }',
    `health: ${health}`,
  ].join('\n');
  const result = lintWorldText(text);
  if (!result.world) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.world;
}

type Behaviour = 'ok' | 'fail' | 'hang' | { delayMs: number; ok: boolean };

/** A probe driven by the ManualClock: per-address behaviour, call log, overlap detection. */
class FakeProbe implements Probe {
  readonly behaviour = new Map<string, Behaviour>();
  readonly calls: { address: string; atMs: number }[] = [];
  readonly targets: ProbeTarget[] = [];
  readonly inFlight = new Map<string, number>();
  maxInFlightPerAddress = 0;
  maxInFlightTotal = 0;
  #total = 0;

  constructor(readonly clock: Clock) {}

  check(target: ProbeTarget): Promise<ProbeResult> {
    const b = this.behaviour.get(target.address) ?? 'ok';
    this.calls.push({ address: target.address, atMs: this.clock.monotonic() });
    this.targets.push(target);
    const n = (this.inFlight.get(target.address) ?? 0) + 1;
    this.inFlight.set(target.address, n);
    this.#total++;
    this.maxInFlightPerAddress = Math.max(this.maxInFlightPerAddress, n);
    this.maxInFlightTotal = Math.max(this.maxInFlightTotal, this.#total);
    const done = (r: ProbeResult): ProbeResult => {
      this.inFlight.set(target.address, (this.inFlight.get(target.address) ?? 1) - 1);
      this.#total--;
      return r;
    };
    if (b === 'ok') return Promise.resolve(done({ ok: true, durationMs: 1 }));
    if (b === 'fail') return Promise.resolve(done({ ok: false, durationMs: 1, error: 'status 500' }));
    if (b === 'hang') return new Promise<ProbeResult>(() => {}); // ignores abort: a broken probe
    return new Promise<ProbeResult>((resolve) => {
      const cancel = this.clock.setTimeout(
        () => resolve(done({ ok: b.ok, durationMs: b.delayMs })),
        b.delayMs,
      );
      target.signal?.addEventListener('abort', () => {
        cancel();
        resolve(done({ ok: false, durationMs: 0, error: 'aborted' }));
      });
    });
  }

  callsTo(address: string): number[] {
    return this.calls.filter((c) => c.address === address).map((c) => c.atMs);
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Advances the manual clock 1 ms at a time, letting probe promises settle between steps. */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    clock.advance(1);
    await flush();
  }
}

function setup(
  world: World,
  extra: { maxConcurrentProbes?: number; seed?: number; sourceAddress?: string } = {},
): {
  clock: ManualClock;
  probe: FakeProbe;
  monitor: HealthMonitor;
  tables: HealthTable[];
  registry: Registry;
} {
  const clock = new ManualClock();
  const probe = new FakeProbe(clock);
  const registry = new Registry();
  const monitor = new HealthMonitor({
    world,
    clock,
    probe,
    registry,
    random: seededRandom(extra.seed ?? 7),
    ...(extra.maxConcurrentProbes ? { maxConcurrentProbes: extra.maxConcurrentProbes } : {}),
    ...(extra.sourceAddress ? { sourceAddress: extra.sourceAddress } : {}),
  });
  const tables: HealthTable[] = [];
  monitor.onChange((t) => tables.push(t));
  return { clock, probe, monitor, tables, registry };
}

const three = () =>
  worldOf({ a: { address: '127.0.1.1' }, b: { address: '127.0.2.1' }, c: { address: '127.0.3.1' } });

function states(t: HealthTable): string {
  return t.regions
    .map((r) => `${r.name}:${r.state}${r.drained ? '(drained)' : ''}${r.serving ? '+' : ''}`)
    .join(' ');
}

describe('HealthMonitor', () => {
  it('starts unknown (not serving) and does no I/O before start()', async () => {
    const { clock, probe, monitor } = setup(three());
    expect(monitor.table().version).toBe(0);
    expect(states(monitor.table())).toBe('a:unknown b:unknown c:unknown');
    await advance(clock, 300);
    expect(probe.calls).toHaveLength(0);
    await monitor.stop();
  });

  it('jitters the first probe of each region within one interval, then keeps the interval', async () => {
    const { clock, probe, monitor } = setup(three(), { seed: 42 });
    monitor.start();
    await advance(clock, 450);
    const firsts = ['127.0.1.1', '127.0.2.1', '127.0.3.1'].map((a) => probe.callsTo(a)[0]!);
    for (const f of firsts) expect(f).toBeGreaterThanOrEqual(0);
    for (const f of firsts) expect(f).toBeLessThan(100);
    expect(new Set(firsts).size).toBe(3);
    for (const a of ['127.0.1.1', '127.0.2.1', '127.0.3.1']) {
      const calls = probe.callsTo(a);
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
      expect(gaps.length).toBeGreaterThanOrEqual(3);
      for (const g of gaps) expect(g).toBe(100);
    }
    await monitor.stop();
  });

  it('goes up on the first success, down after `fall` failures, up again after `rise` successes', async () => {
    const { clock, probe, monitor, tables } = setup(three());
    const changes: StateChangeEvent[] = [];
    monitor.on(MONITOR_EVENTS.stateChange, (e: StateChangeEvent) => changes.push(e));
    monitor.start();
    await advance(clock, 100);
    expect(states(monitor.table())).toBe('a:up+ b:up+ c:up+');
    const v = monitor.table().version;
    expect(v).toBe(3);
    await advance(clock, 500);
    expect(monitor.table().version).toBe(v); // steady results publish nothing

    probe.behaviour.set('127.0.2.1', 'fail');
    await advance(clock, 100); // one failure
    expect(monitor.table().regions[1]!.state).toBe('up');
    await advance(clock, 100); // second failure
    expect(monitor.table().regions[1]).toMatchObject({
      state: 'down',
      serving: false,
      lastError: 'status 500',
    });
    expect(monitor.table().version).toBe(v + 1);

    probe.behaviour.set('127.0.2.1', 'ok');
    await advance(clock, 100);
    expect(monitor.table().regions[1]!.state).toBe('down');
    await advance(clock, 100);
    expect(monitor.table().regions[1]).toMatchObject({ state: 'up', serving: true, lastError: null });
    expect(monitor.table().version).toBe(v + 2);

    expect(tables.map((t) => t.version)).toEqual([1, 2, 3, 4, 5]);
    expect(changes.filter((e) => e.region === 'b').map((e) => `${e.from}>${e.to}`)).toEqual([
      'unknown>up',
      'up>down',
      'down>up',
    ]);
    expect(changes.find((e) => e.to === 'down')!.error).toBe('status 500');
    await monitor.stop();
  });

  it('publishes immutable tables', async () => {
    const { clock, monitor } = setup(three());
    monitor.start();
    await advance(clock, 100);
    const t = monitor.table();
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.regions)).toBe(true);
    expect(Object.isFrozen(t.regions[0])).toBe(true);
    await monitor.stop();
  });

  it('counts a probe that does not answer within the timeout as failed (grey failure)', async () => {
    const { clock, probe, monitor } = setup(three());
    monitor.start();
    await advance(clock, 100);
    probe.behaviour.set('127.0.1.1', { delayMs: 10_000, ok: true });
    await advance(clock, 250);
    expect(monitor.table().regions[0]).toMatchObject({ state: 'down', lastError: 'timeout' });
    expect(probe.maxInFlightPerAddress).toBe(1);
    await monitor.stop();
  });

  it('never overlaps probes of one region, even when the timeout exceeds the interval', async () => {
    const world = worldOf(
      { a: { address: '127.0.1.1' } },
      '{ path: /healthz, intervalMs: 100, timeoutMs: 250, rise: 2, fall: 2 }',
    );
    const { clock, probe, monitor } = setup(world);
    probe.behaviour.set('127.0.1.1', { delayMs: 180, ok: true });
    monitor.start();
    await advance(clock, 1000);
    const calls = probe.callsTo('127.0.1.1');
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < calls.length; i++) {
      // the next probe waits for the previous one (180 ms), not the interval (100 ms);
      // the 1-ms steps of the simulation add up to 1 ms
      expect(calls[i]! - calls[i - 1]!).toBeGreaterThanOrEqual(180);
      expect(calls[i]! - calls[i - 1]!).toBeLessThanOrEqual(181);
    }
    expect(probe.maxInFlightPerAddress).toBe(1);
    expect(monitor.table().regions[0]!.state).toBe('up');
    await monitor.stop();
  });

  it('a probe that never settles blocks its region (counted as failures), not the others', async () => {
    const { clock, probe, monitor, registry } = setup(three());
    monitor.start();
    await advance(clock, 100);
    probe.behaviour.set('127.0.1.1', 'hang');
    await advance(clock, 500);
    expect(states(monitor.table())).toBe('a:down b:up+ c:up+');
    expect(probe.callsTo('127.0.1.1').filter((t) => t >= 100)).toHaveLength(1);
    expect(probe.maxInFlightPerAddress).toBe(1);
    const overruns = await registry.getSingleMetric('meridian_monitor_probe_overruns_total')!.get();
    expect(overruns.values.find((v) => v.labels.region === 'a')!.value).toBeGreaterThanOrEqual(3);
  });

  it('drains and undrains: no answers while drained, probing goes on', async () => {
    const { clock, probe, monitor } = setup(three());
    monitor.start();
    await advance(clock, 100);
    const v = monitor.table().version;
    monitor.drain('c');
    expect(monitor.table().version).toBe(v + 1);
    expect(monitor.table().regions[2]).toMatchObject({ state: 'up', drained: true, serving: false });
    monitor.drain('c'); // idempotent
    expect(monitor.table().version).toBe(v + 1);
    const before = probe.callsTo('127.0.3.1').length;
    await advance(clock, 300);
    expect(probe.callsTo('127.0.3.1').length).toBe(before + 3);
    probe.behaviour.set('127.0.3.1', 'fail');
    await advance(clock, 200);
    expect(monitor.table().regions[2]).toMatchObject({ state: 'down', drained: true, serving: false });
    probe.behaviour.set('127.0.3.1', 'ok');
    await advance(clock, 200);
    monitor.undrain('c');
    expect(monitor.table().regions[2]).toMatchObject({ state: 'up', drained: false, serving: true });
    await monitor.stop();
  });

  it('rejects drain of a region not in the world', () => {
    const { monitor } = setup(three());
    let caught: unknown;
    try {
      monitor.drain('mars-north-1');
    } catch (err) {
      caught = err;
    }
    expect(isMeridianError(caught, 'MERIDIAN_MONITOR_UNKNOWN_REGION')).toBe(true);
    expect((caught as Error).message).toContain('mars-north-1');
    expect(() => monitor.undrain('nope')).toThrow(/no region "nope"/);
  });

  it('setWorld keeps remaining regions, adds new ones unknown, stops probing removed ones', async () => {
    const { clock, probe, monitor } = setup(three());
    monitor.start();
    await advance(clock, 100);
    monitor.drain('a');
    const v = monitor.table().version;
    monitor.setWorld(
      worldOf({ a: { address: '127.0.1.1' }, c: { address: '127.0.3.1' }, d: { address: '127.0.4.1' } }),
    );
    expect(monitor.table().version).toBe(v + 1);
    expect(states(monitor.table())).toBe('a:up(drained) c:up+ d:unknown');
    expect(monitor.table().regions.map((r) => r.index)).toEqual([0, 1, 2]);
    const bCalls = probe.callsTo('127.0.2.1').length;
    await advance(clock, 200);
    expect(probe.callsTo('127.0.2.1').length).toBe(bCalls);
    expect(states(monitor.table())).toBe('a:up(drained) c:up+ d:up+');
    expect(() => monitor.drain('b')).toThrow(/no region "b"/);

    const same = monitor.table().version;
    monitor.setWorld(
      worldOf({ a: { address: '127.0.1.1' }, c: { address: '127.0.3.1' }, d: { address: '127.0.4.1' } }),
    );
    expect(monitor.table().version).toBe(same); // nothing changed: nothing published
    await monitor.stop();
  });

  it('setWorld applies a new interval from the last probe start', async () => {
    const { clock, probe, monitor } = setup(worldOf({ a: { address: '127.0.1.1' } }));
    monitor.start();
    await advance(clock, 250);
    monitor.setWorld(
      worldOf(
        { a: { address: '127.0.1.1' } },
        '{ path: /healthz, intervalMs: 400, timeoutMs: 50, rise: 2, fall: 2 }',
      ),
    );
    const before = probe.callsTo('127.0.1.1');
    await advance(clock, 1000);
    const after = probe.callsTo('127.0.1.1').slice(before.length);
    expect(after[0]! - before.at(-1)!).toBe(400);
    expect(after[1]! - after[0]!).toBe(400);
    await monitor.stop();
  });

  it('setWorld sends the next probe of a kept region to its new address, keeping its state', async () => {
    const { clock, probe, monitor } = setup(worldOf({ a: { address: '127.0.1.1' } }));
    monitor.start();
    await advance(clock, 100);
    expect(monitor.table().regions[0]!.state).toBe('up');
    probe.behaviour.set('127.0.9.1', 'fail');
    await advance(clock, 30); // mid-interval
    monitor.setWorld(worldOf({ a: { address: '127.0.9.1' } }));
    expect(monitor.table().regions[0]!.state).toBe('up');
    await advance(clock, 1);
    expect(probe.callsTo('127.0.9.1')).toHaveLength(1); // the new target is probed at once
    expect(monitor.table().regions[0]!.state).toBe('up'); // one failure: fall is 2
    await advance(clock, 100);
    expect(probe.callsTo('127.0.9.1')).toHaveLength(2);
    expect(monitor.table().regions[0]).toMatchObject({ state: 'down', lastError: 'status 500' });
    await monitor.stop();
  });

  it('setWorld with a probe in flight probes the new target as soon as that probe ends', async () => {
    const { clock, probe, monitor } = setup(worldOf({ a: { address: '127.0.1.1' } }));
    probe.behaviour.set('127.0.1.1', { delayMs: 20, ok: true });
    monitor.start();
    await advance(clock, 100);
    const last = probe.callsTo('127.0.1.1').at(-1)!;
    await advance(clock, Math.ceil(last + 100 - clock.monotonic()) + 5); // 5 ms into the next probe
    const inFlightStart = probe.callsTo('127.0.1.1').at(-1)!;
    monitor.setWorld(worldOf({ a: { address: '127.0.8.1' } }));
    await advance(clock, 20);
    const first = probe.callsTo('127.0.8.1')[0]!;
    expect(first - inFlightStart).toBeGreaterThanOrEqual(20);
    expect(first - inFlightStart).toBeLessThanOrEqual(21); // not a whole interval later
    await monitor.stop();
  });

  it("passes each region's resolved check to the probe, from the source address", async () => {
    const world = worldOf({
      a: { address: '127.0.1.1' },
      b: {
        address: '127.0.2.1',
        health:
          '{ type: https, port: 8443, host: b.example.test, expectStatus: [200, "300-399"], body: { contains: ok } }',
      },
      c: { address: '127.0.3.1', health: '{ type: tcp, port: 5432 }' },
    });
    const { clock, probe, monitor } = setup(world, { sourceAddress: '127.0.200.1' });
    monitor.start();
    await advance(clock, 100);
    const of = (address: string) => {
      const { signal, ...t } = probe.targets.find((x) => x.address === address)!;
      expect(signal).toBeInstanceOf(AbortSignal);
      return t;
    };
    expect(of('127.0.1.1')).toEqual({
      address: '127.0.1.1',
      port: 8080,
      path: '/healthz',
      timeoutMs: 50,
      type: 'http',
      expectStatus: [[200, 200]],
      sourceAddress: '127.0.200.1',
    });
    expect(of('127.0.2.1')).toMatchObject({
      type: 'https',
      port: 8443,
      host: 'b.example.test',
      sni: 'b.example.test',
      expectStatus: [
        [200, 200],
        [300, 399],
      ],
      body: { contains: 'ok' },
    });
    expect(of('127.0.3.1')).toMatchObject({ type: 'tcp', port: 5432 });
    await monitor.stop();
  });

  it('emits every raw probe result, before rise/fall', async () => {
    const { clock, probe, monitor } = setup(worldOf({ a: { address: '127.0.1.1' } }));
    const events: unknown[] = [];
    monitor.on(MONITOR_EVENTS.probe, (e) => events.push(e));
    monitor.start();
    await advance(clock, 100);
    probe.behaviour.set('127.0.1.1', 'fail');
    await advance(clock, 100);
    expect(events).toEqual([
      { region: 'a', ok: true, durationMs: 1, error: null, atMs: expect.any(Number) },
      { region: 'a', ok: false, durationMs: 1, error: 'status 500', atMs: expect.any(Number) },
    ]);
    expect(monitor.table().regions[0]!.state).toBe('up'); // one failure: fall is 2
    await monitor.stop();
  });

  it('setWorld probes a kept region at once when only its check changed', async () => {
    const { clock, probe, monitor } = setup(worldOf({ a: { address: '127.0.1.1' } }));
    monitor.start();
    await advance(clock, 130);
    const before = probe.callsTo('127.0.1.1').length;
    const last = probe.callsTo('127.0.1.1').at(-1)!;
    expect(clock.monotonic() - last).toBeLessThan(50); // mid-interval: the next round is not due
    monitor.setWorld(worldOf({ a: { address: '127.0.1.1', health: '{ expectStatus: [204] }' } }));
    await advance(clock, 1);
    expect(probe.callsTo('127.0.1.1')).toHaveLength(before + 1);
    expect(probe.targets.at(-1)!.expectStatus).toEqual([[204, 204]]);
    await monitor.stop();
  });

  it('counts a probe that throws or rejects as a failure', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const probe: Probe = {
      check() {
        calls++;
        if (calls % 2) throw new Error('sync boom');
        return Promise.reject(new Error('async boom'));
      },
    };
    const monitor = new HealthMonitor({ world: three(), clock, probe, random: seededRandom(3) });
    monitor.start();
    await advance(clock, 100);
    expect(monitor.table().regions.map((r) => r.state)).toEqual(['down', 'down', 'down']);
    expect(
      monitor
        .table()
        .regions.map((r) => r.lastError)
        .join(),
    ).toMatch(/probe threw: Error: (sync|async) boom/);
    await monitor.stop();
  });

  it('bounds concurrent probes across regions', async () => {
    const regions: Record<string, RegionSpec> = {};
    for (let i = 1; i <= 6; i++) regions[`r${i}`] = { address: `127.0.${i}.1` };
    const { clock, probe, monitor } = setup(worldOf(regions), { maxConcurrentProbes: 2 });
    for (let i = 1; i <= 6; i++) probe.behaviour.set(`127.0.${i}.1`, { delayMs: 30, ok: true });
    monitor.start();
    await advance(clock, 1000);
    expect(probe.maxInFlightTotal).toBe(2);
    expect(monitor.table().regions.every((r) => r.state === 'up')).toBe(true);
    await monitor.stop();
  });

  it('stop() aborts probes in flight, leaves no timer, and ignores late results', async () => {
    const { clock, probe, monitor } = setup(three());
    for (const a of ['127.0.1.1', '127.0.2.1', '127.0.3.1'])
      probe.behaviour.set(a, { delayMs: 40, ok: true });
    monitor.start();
    await advance(clock, 100);
    const v = monitor.table().version;
    await monitor.stop();
    expect(clock.pending()).toBe(0);
    await advance(clock, 500);
    expect(monitor.table().version).toBe(v);
  });

  it('keeps publishing when a listener throws', async () => {
    const { clock, monitor, tables } = setup(three());
    const errors: unknown[] = [];
    monitor.on(MONITOR_EVENTS.listenerError, (e: { error: unknown }) => errors.push(e.error));
    monitor.onChange(() => {
      throw new Error('bad listener');
    });
    monitor.start();
    await advance(clock, 100);
    expect(tables).toHaveLength(3);
    expect(errors).toHaveLength(3);
    await monitor.stop();
  });

  it('exports probe, duration and state-change metrics', async () => {
    const { clock, probe, monitor, registry } = setup(three());
    monitor.start();
    await advance(clock, 100);
    probe.behaviour.set('127.0.1.1', 'fail');
    await advance(clock, 200);
    const text = await registry.metrics();
    expect(text).toMatch(/meridian_monitor_probes_total\{region="a",result="fail"\} 2/);
    expect(text).toMatch(/meridian_monitor_state_changes_total\{region="a",to="down"\} 1/);
    expect(text).toMatch(/meridian_monitor_region_serving\{region="a"\} 0/);
    expect(text).toMatch(/meridian_monitor_region_serving\{region="b"\} 1/);
    expect(text).toMatch(/meridian_monitor_probe_duration_seconds_count\{region="b"\} 3/);
    expect(text).toMatch(/meridian_monitor_table_version 4/);
    await monitor.stop();
  });

  it('soak (seeded, simulated 60 s): latency jittering up to half the timeout never flips a region', async () => {
    const clock = new ManualClock();
    const rnd = seededRandom(2026);
    const timeoutMs = 50;
    const probe: Probe = {
      check: (target) =>
        new Promise((resolve) => {
          const delayMs = Math.floor(rnd.next() * (timeoutMs / 2));
          clock.setTimeout(() => resolve({ ok: true, durationMs: delayMs }), delayMs);
          void target;
        }),
    };
    const monitor = new HealthMonitor({ world: three(), clock, probe, random: seededRandom(1) });
    const changes: StateChangeEvent[] = [];
    monitor.on(MONITOR_EVENTS.stateChange, (e: StateChangeEvent) => changes.push(e));
    monitor.start();
    await advance(clock, 60_000);
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual(['unknown>up', 'unknown>up', 'unknown>up']);
    expect(monitor.table().version).toBe(3);
    await monitor.stop();
  });
});
