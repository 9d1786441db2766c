// Two `meridian dns` instances in fleet mode on one real 3-node NATS cluster, fed by one vantage's
// prober: a drain through A's admin API reaches B within 1 s, and once converged both give
// byte-identical answers (query ID aside) to the same client, SOA serial included.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VantageProber } from '../fleet/io/index.js';
import { deleteStreams, useNatsCluster } from '../fleet/test-support/nats-cluster.js';
import { loadWorld } from '../world/io/index.js';
import { Gslb } from './gslb.js';
import { e2eWorldYaml, HealthEndpoint } from './test-support/e2e-world.js';

const cluster = useNatsCluster();
const fleet = `dns-fleet-${process.pid}`;
const TOKEN = 'fleet-mode-e2e-token-0123456789';
const HEALTH = '{ path: /healthz, intervalMs: 200, timeoutMs: 500, rise: 1, fall: 2 }';
const dir = mkdtempSync(join(tmpdir(), 'meridian-fleet-mode-'));
const worldPath = join(dir, 'meridian.yaml');
const health = [1, 2, 3].map((n) => new HealthEndpoint(`127.0.${n}.1`));
let prober: VantageProber;
let a: Gslb;
let b: Gslb;

async function until(what: string, fn: () => boolean, timeoutMs = 30_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (fn()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function instance(servers: readonly string[]): Gslb {
  return new Gslb({
    worldPath,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    adminToken: TOKEN,
    logger: pino({ level: 'silent' }),
    watch: false,
    fleet: { servers, name: fleet },
  });
}

beforeAll(async () => {
  for (const h of health) await h.start();
  writeFileSync(
    worldPath,
    e2eWorldYaml(
      health.map((h) => h.port),
      'vantages:\n  v1: { cloudRegion: us-east-1 }\n',
      HEALTH,
    ),
  );
  const urls = cluster().urls;
  prober = new VantageProber({ world: loadWorld(worldPath), vantage: 'v1', servers: urls, fleet });
  prober.start();
  a = instance([urls[0]!]);
  b = instance([urls[1]!]);
  await a.start();
  await b.start();
  const allServing = (g: Gslb) => g.monitor.table().regions.every((r) => r.serving);
  await until('both instances see every region up', () => allServing(a) && allServing(b));
}, 90_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await prober?.stop();
  for (const h of health) await h.stop();
  await deleteStreams(cluster().urls, [`meridian-${fleet}-health`, `KV_meridian-${fleet}-operator`]);
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Sends one query to each port from one socket and returns the answers without their IDs. */
async function askBoth(
  ports: readonly number[],
  name: string,
  type: 'A' | 'SOA',
  ecs?: string,
): Promise<Buffer[]> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const answers = new Map<number, Buffer>();
  sock.on('message', (m, rinfo) => answers.set(rinfo.port, Buffer.from(m)));
  const q = packet.encode({
    type: 'query',
    id: 4242,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type, name }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: 1232,
        options: ecs ? [{ code: 'CLIENT_SUBNET', ip: ecs, sourcePrefixLength: 24 }] : [],
      } as unknown as packet.Answer,
    ],
  });
  for (const p of ports) sock.send(q, p, '127.0.0.1');
  await until('both answered', () => answers.size === ports.length, 5000);
  sock.close();
  return ports.map((p) => answers.get(p)!.subarray(2));
}

const admin = (g: Gslb, path: string, body: unknown = {}) =>
  fetch(`http://127.0.0.1:${g.adminPort}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const drainedIn = (g: Gslb, region: string) =>
  g.monitor.table().regions.find((r) => r.name === region)?.drained === true;

describe('meridian dns --nats (fleet mode)', () => {
  it('a drain through A reaches B within 1 s; both then answer byte for byte alike', async () => {
    const [before1, before2] = await askBoth(
      [a.dnsPort, b.dnsPort],
      'links.example.test',
      'A',
      '203.0.113.0',
    );
    expect(before1!.equals(before2!)).toBe(true);
    expect(packet.decode(Buffer.concat([Buffer.alloc(2), before1!])).answers?.[0]).toMatchObject({
      data: '127.0.3.1',
    });

    const res = await admin(a, '/v1/regions/af-south-1/drain', { reason: 'fleet test', who: 'ana' });
    expect(res.status).toBe(200);
    const ms = await until('B sees the drain', () => drainedIn(b, 'af-south-1'), 1000);
    expect(ms).toBeLessThanOrEqual(1000);
    await until('A applied it too', () => drainedIn(a, 'af-south-1'));
    // converged: the same operator-state revision on both
    await until(
      'same serial on both',
      () => a.engine.snapshot.zone.soaSerial === b.engine.snapshot.zone.soaSerial,
    );

    const [after1, after2] = await askBoth([a.dnsPort, b.dnsPort], 'links.example.test', 'A', '203.0.113.0');
    expect(after1!.equals(after2!)).toBe(true);
    expect(packet.decode(Buffer.concat([Buffer.alloc(2), after1!])).answers?.[0]).toMatchObject({
      data: '127.0.2.1',
    });
    const [soa1, soa2] = await askBoth([a.dnsPort, b.dnsPort], 'example.test', 'SOA');
    expect(soa1!.equals(soa2!)).toBe(true);

    // the floor is the fleet's: a second drain through B is refused with the reason
    const refused = await admin(b, '/v1/regions/eu-west-2/drain');
    expect(refused.status).toBe(409);
    type State = {
      fleet: { failStatic: boolean; fleet: string; failStaticReasons?: unknown };
      operatorRecords: { who: string }[];
      soa: { source: string };
    };
    const readState = async () =>
      (await (
        await fetch(`http://127.0.0.1:${b.adminPort}/v1/state`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        })
      ).json()) as State;
    // B has caught up with the health stream once it no longer fails static (a loaded machine
    // can take a moment after start)
    let state = await readState();
    const deadline = Date.now() + 10_000;
    while (state.fleet.failStatic && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      state = await readState();
    }
    expect(state.fleet, JSON.stringify(state.fleet.failStaticReasons)).toMatchObject({
      failStatic: false,
      fleet,
    });
    expect(state.soa.source).toBe('fleet revision');
    expect(state.operatorRecords.some((r) => r.who === 'ana')).toBe(true);

    expect((await admin(b, '/v1/regions/af-south-1/undrain')).status).toBe(200);
    await until('A sees the undrain', () => !drainedIn(a, 'af-south-1'));
  }, 60_000);

  it('a restarted instance comes back with the fleet drains (they live in the bucket)', async () => {
    expect((await admin(a, '/v1/regions/af-south-1/drain', { reason: 'restart test' })).status).toBe(200);
    await until('B sees the drain', () => drainedIn(b, 'af-south-1'));
    await b.stop();
    b = instance([cluster().urls[2]!]);
    await b.start();
    expect(drainedIn(b, 'af-south-1')).toBe(true);
    expect((await admin(a, '/v1/regions/af-south-1/undrain')).status).toBe(200);
    await until('B sees the undrain', () => !drainedIn(b, 'af-south-1'));
  }, 60_000);

  it('fails static with every NATS node down: same answers, TTLs capped, said in /v1/state; converges when back', async () => {
    const c = cluster();
    const [before] = await askBoth([a.dnsPort], 'links.example.test', 'A', '203.0.113.0');
    const beforeAnswer = packet.decode(Buffer.concat([Buffer.alloc(2), before!])).answers?.[0];
    await Promise.all([0, 1, 2].map((i) => c.kill(i)));
    try {
      await until('A fails static', () => (a.state().fleet as { failStatic: boolean }).failStatic);
      const fleetState = a.state().fleet as { failStaticReasons: string[]; ttlCapSeconds: number };
      expect(fleetState.failStaticReasons.join()).toContain('NATS not connected');
      // the staleness bound: 3 × max(200, 500) + 500 ms = 2 s
      expect(fleetState.ttlCapSeconds).toBe(2);
      const [during] = await askBoth([a.dnsPort], 'links.example.test', 'A', '203.0.113.0');
      const answer = packet.decode(Buffer.concat([Buffer.alloc(2), during!])).answers?.[0] as {
        data: string;
        ttl: number;
      };
      expect(answer.data).toBe((beforeAnswer as { data: string }).data);
      expect(answer.ttl).toBeLessThanOrEqual(2);
      const metrics = await a.registry.metrics();
      expect(metrics).toMatch(/^meridian_gslb_fleet_fail_static 1$/m);
    } finally {
      await c.restart(0, 1, 2);
    }
    await until('A converges again', () => !(a.state().fleet as { failStatic: boolean }).failStatic, 60_000);
    expect(await a.registry.metrics()).toMatch(/^meridian_gslb_fleet_fail_static 0$/m);
  }, 120_000);
});
