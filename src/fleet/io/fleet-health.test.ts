// The probe → stream → consumer path on a real 3-node NATS cluster: three vantages probing real
// loopback regions, consumers folding their observations into verdicts.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthTable, RegionState } from '../../health-table/index.js';
import { lintWorldText, type World } from '../../world/index.js';
import type { RegionVerdict } from '../fleet-matrix.js';
import type { FleetStateChange } from '../fleet-verdicts.js';
import { deleteStreams, useNatsCluster } from '../test-support/nats-cluster.js';
import { type FailStaticEvent, FLEET_EVENTS, FleetHealthConsumer } from './fleet-health-consumer.js';
import { VantageProber } from './vantage-prober.js';

const cluster = useNatsCluster();

const VANTAGES = { a: '127.0.200.1', b: '127.0.200.2', c: '127.0.200.3' } as const;
type VantageName = keyof typeof VANTAGES;

/** A region: a real HTTP server on its own loopback address that can cut a vantage's path or die. */
class RegionServer {
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  readonly blackholed = new Set<string>();
  port = 0;

  constructor(readonly address: string) {
    this.server = createServer((_req, res) => {
      res.writeHead(200);
      res.end('ok\n');
    });
    this.server.on('connection', (s: Socket) => {
      // a cut path from one vantage: its connections are reset, everyone else's are served
      if (this.blackholed.has(s.remoteAddress ?? '')) return s.destroy();
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(this.port, this.address, resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface Fleet {
  fleet: string;
  world: World;
  regions: Record<string, RegionServer>;
  probers: Record<VantageName, VantageProber>;
  consumers: FleetHealthConsumer[];
  changes: FleetStateChange[][];
  addConsumer(): FleetHealthConsumer;
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

let fleetCount = 0;

/** Three regions (the second blackholes `blackhole` vantages), three probers, `consumers` consumers. */
async function startFleet(opts: {
  consumers: number;
  blackhole?: VantageName[];
  quorum?: string;
}): Promise<Fleet> {
  const fleet = `t${process.pid}-${++fleetCount}`;
  // runs last (afterEach stops in reverse order): after every consumer and prober stopped
  running.push(() => deleteStreams(cluster().urls, [`meridian-${fleet}-health`]));
  const regions: Record<string, RegionServer> = {
    'us-west-2': new RegionServer('127.0.1.1'),
    'eu-west-2': new RegionServer('127.0.2.1'),
    'af-south-1': new RegionServer('127.0.3.1'),
  };
  for (const v of opts.blackhole ?? []) regions['eu-west-2']!.blackholed.add(VANTAGES[v]);
  for (const r of Object.values(regions)) await r.listen();
  running.push(async () => {
    for (const r of Object.values(regions)) await r.close();
  });
  const text = [
    'zone: example.test',
    'home: us-west-2',
    'regions:',
    ...Object.entries(regions).map(
      ([name, r], i) => `  ${name}: { cidr: 10.${i + 1}.0.0/16, address: ${r.address}, port: ${r.port} }`,
    ),
    `health: { intervalMs: 200, timeoutMs: 200, rise: 2, fall: 2${opts.quorum ? `, quorum: ${opts.quorum}` : ''} }`,
    'vantages:',
    ...Object.entries(VANTAGES).map(
      ([v, address]) => `  ${v}: { cloudRegion: us-east-1, lab: { address: ${address} } }`,
    ),
  ].join('\n');
  const lint = lintWorldText(text);
  if (!lint.world) throw new Error(JSON.stringify(lint.diagnostics));
  const world = lint.world;
  const servers = cluster().urls;
  const consumers: FleetHealthConsumer[] = [];
  const changes: FleetStateChange[][] = [];
  const addConsumer = () => {
    const c = new FleetHealthConsumer({ world, servers, fleet, tickMs: 100 });
    const log: FleetStateChange[] = [];
    c.on(FLEET_EVENTS.stateChange, (e: FleetStateChange) => log.push(e));
    consumers.push(c);
    changes.push(log);
    c.start();
    running.push(() => c.stop());
    return c;
  };
  for (let i = 0; i < opts.consumers; i++) addConsumer();
  // the consumers create the stream; wait for them to be reading it before any observation exists
  await until(() => consumers.every((c) => c.status().caughtUp), 'consumers caught up on the empty stream');
  const probers = Object.fromEntries(
    Object.entries(VANTAGES).map(([vantage, address]) => {
      const p = new VantageProber({ world, vantage, servers, fleet, sourceAddress: address });
      p.start();
      running.push(() => p.stop());
      return [vantage, p];
    }),
  ) as Record<VantageName, VantageProber>;
  return { fleet, world, regions, probers, consumers, changes, addConsumer };
}

/** Polls `pred` every 20 ms; fails after `ms` (never a timing assertion). */
async function until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const stateOf = (c: FleetHealthConsumer, region: string): RegionState =>
  c.table().regions.find((r) => r.name === region)!.state;
const rowOf = (c: FleetHealthConsumer, region: string): RegionVerdict =>
  c.matrix().regions.find((r) => r.region === region)!;
const allUp = (c: FleetHealthConsumer) => c.table().regions.every((r) => r.state === 'up');

describe('fleet health over a 3-node NATS cluster', () => {
  it('observations from three vantages give the same verdict on two consumers', async () => {
    const f = await startFleet({ consumers: 2 });
    await until(() => f.consumers.every(allUp), 'every region up on both consumers');
    await until(() => f.consumers.every((c) => c.status().lastSequence > 100), 'a hundred observations');
    for (const p of Object.values(f.probers)) await p.stop();
    const published = Object.values(f.probers).reduce((n, p) => n + p.stats().published, 0);
    await until(
      () => f.consumers.every((c) => c.status().lastSequence === published),
      `both consumers at sequence ${published}`,
    );
    const [one, two] = f.consumers as [FleetHealthConsumer, FleetHealthConsumer];
    expect(two.table().regions).toEqual(one.table().regions);
    const at = Date.now();
    expect(two.matrix(at)).toEqual(one.matrix(at));
    expect(f.changes[1]).toEqual(f.changes[0]);
    expect(rowOf(one, 'eu-west-2').views.map((v) => v.vantage)).toEqual(['a', 'b', 'c']);
  });

  it('majority keeps a region that one vantage of three sees as down (blackhole-probes), and shows who disagrees', async () => {
    const f = await startFleet({ consumers: 2, blackhole: ['a'] });
    await until(() => f.consumers.every(allUp), 'every region up on both consumers');
    const start = Math.max(...f.consumers.map((c) => c.status().lastSequence));
    // 40 rounds of three vantages on three regions
    await until(() => f.consumers.every((c) => c.status().lastSequence > start + 360), '40 more rounds');
    for (const [i, c] of f.consumers.entries()) {
      expect(stateOf(c, 'eu-west-2')).toBe('up');
      const firstUp = f.changes[i]!.findIndex((e) => e.region === 'eu-west-2' && e.to === 'up');
      // never evicted once up (a cold start may begin from a's lone 'down': that region was not serving yet)
      expect(f.changes[i]!.slice(firstUp + 1).filter((e) => e.region === 'eu-west-2')).toEqual([]);
      const row = rowOf(c, 'eu-west-2');
      expect(row).toMatchObject({ state: 'up', disagreeing: ['a'], freshVantages: 3, upVantages: 2 });
      expect(row.views[0]).toMatchObject({ vantage: 'a', ok: false, fresh: true });
      expect(row.views[0]!.reason).toMatch(/ECONNRESET|socket hang up/);
    }
  });

  it('detects a real region failure that every vantage sees', async () => {
    const f = await startFleet({ consumers: 2 });
    await until(() => f.consumers.every(allUp), 'every region up on both consumers');
    await f.regions['af-south-1']!.close();
    await until(
      () => f.consumers.every((c) => stateOf(c, 'af-south-1') === 'down'),
      'af-south-1 down on both',
    );
    for (const c of f.consumers) {
      expect(c.table().regions.find((r) => r.name === 'af-south-1')).toMatchObject({ serving: false });
      expect(c.table().regions.find((r) => r.name === 'af-south-1')!.lastError).toMatch(
        /^down from [23] of 3 vantages: /,
      );
      expect(stateOf(c, 'eu-west-2')).toBe('up');
    }
  });

  it('excludes a vantage whose prober stopped, shows it as stale, and keeps the verdict of the others', async () => {
    // a is cut from eu-west-2: with c gone, a (down) and b (up) tie, and a tie stays up
    const f = await startFleet({ consumers: 1, blackhole: ['a'] });
    const [c] = f.consumers as [FleetHealthConsumer];
    await until(() => allUp(c), 'every region up');
    await until(
      () => c.matrix().regions.every((r) => r.freshVantages === 3),
      'every vantage heard on every region',
    );
    await f.probers.c.stop();
    await until(() => rowOf(c, 'eu-west-2').staleVantages.includes('c'), 'c stale');
    const before = c.status().lastSequence;
    await until(() => c.status().lastSequence > before + 60, 'ten more rounds from a and b');
    const row = rowOf(c, 'eu-west-2');
    expect(row).toMatchObject({
      state: 'up',
      freshVantages: 2,
      upVantages: 1,
      staleVantages: ['c'],
      failStatic: false,
    });
    expect(row.views[2]).toMatchObject({ vantage: 'c', ok: true, fresh: false });
    expect(row.views[2]!.ageMs).toBeGreaterThan(row.staleAfterMs);
    for (const r of c.matrix().regions) expect(r.staleVantages).toEqual(['c']);
  });

  it('keeps consuming when a NATS node is killed, and still detects a failure', async () => {
    const f = await startFleet({ consumers: 2 });
    await until(() => f.consumers.every(allUp), 'every region up on both consumers');
    // kill the server holding the second consumer's stream consumer (the hard case: its client
    // may well be connected elsewhere, and the consumer then looks alive but delivers nothing)
    await until(() => f.consumers[1]!.status().consumerServer !== null, 'the second consumer attached');
    const holder = f.consumers[1]!.status().consumerServer;
    const victim = cluster().nodes.findIndex((n) => n.name === holder);
    expect(victim).toBeGreaterThanOrEqual(0);
    await cluster().kill(victim);
    try {
      const seq = f.consumers.map((c) => c.status().lastSequence);
      await until(
        () => f.consumers.every((c, i) => c.status().lastSequence > seq[i]! + 90 && c.status().connected),
        'both consumers past ten more rounds',
        45_000,
      );
      await f.regions['us-west-2']!.close();
      await until(
        () => f.consumers.every((c) => stateOf(c, 'us-west-2') === 'down'),
        'us-west-2 down on both',
      );
      expect(f.consumers.map((c) => stateOf(c, 'eu-west-2'))).toEqual(['up', 'up']);
    } finally {
      await cluster().restart(victim);
    }
  }, 120_000);

  it('keeps its last verdicts when every NATS node is gone (fail static), says so, and converges when NATS returns', async () => {
    const f = await startFleet({ consumers: 1 });
    const [c] = f.consumers as [FleetHealthConsumer];
    const tables: HealthTable[] = [];
    c.onChange((t) => tables.push(t));
    await until(() => allUp(c), 'every region up');
    const flagged: FailStaticEvent[] = [];
    c.on(FLEET_EVENTS.failStatic, (e: FailStaticEvent) => flagged.push(e));
    const before = c.table();
    await Promise.all([0, 1, 2].map((i) => cluster().kill(i)));
    try {
      await until(() => c.matrix().regions.every((r) => r.failStatic), 'every region fail static');
      await until(() => flagged.filter((e) => e.failStatic).length === 3, 'three fail-static events');
      expect(c.table()).toBe(before); // not a new table: the verdicts stand
      expect(c.table().regions.every((r) => r.serving)).toBe(true);
      expect(c.status().connected).toBe(false);
      expect(c.matrix().regions[0]!.staleVantages).toEqual(['a', 'b', 'c']);
    } finally {
      await cluster().restart(0, 1, 2);
    }
    await f.regions['eu-west-2']!.close(); // a change made while the consumer was away is seen
    await until(() => stateOf(c, 'eu-west-2') === 'down', 'eu-west-2 down after NATS returned', 60_000);
    await until(() => flagged.some((e) => !e.failStatic), 'a region no longer fail static');
    await until(() => c.matrix().regions.every((r) => !r.failStatic), 'no region fail static');
    expect(tables.at(-1)).toBe(c.table());
    expect(tables.at(-1)!.regions.find((r) => r.name === 'eu-west-2')!.serving).toBe(false);
  }, 120_000);

  it('a consumer started later catches up from each subject’s latest observation and agrees', async () => {
    const f = await startFleet({ consumers: 1, blackhole: ['a'] });
    await until(() => allUp(f.consumers[0]!), 'every region up');
    const late = f.addConsumer();
    await until(() => late.status().caughtUp && allUp(late), 'the late consumer caught up, every region up');
    expect(f.changes[1]!.every((e) => e.to === 'up')).toBe(true); // settled on all views at once
    expect(rowOf(late, 'eu-west-2')).toMatchObject({ disagreeing: ['a'] });
  });
});
