import { afterEach, describe, expect, it } from 'vitest';
import { parseCidr } from '../../core/index.js';
import type { RequestRecord } from '../request-record.js';
import { GslbResolver } from './gslb-resolver.js';
import type { Route } from './links-journey.js';
import { TcpLatencyLink } from './tcp-latency-link.js';
import { startFakeGslb } from './test-support/fake-gslb.js';
import { startFakeLinksServer } from './test-support/fake-links-server.js';
import { UdpLatencyLink } from './udp-latency-link.js';
import { UserPopulation } from './user-population.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const HOST = 'links.example.test';
const SUBNET = '198.51.100.0/24';

function subnet() {
  const p = parseCidr(SUBNET);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
}

/** A region: a fake links server behind a latency link, reached at a pretend address. */
async function region(name: string, rttMs: number) {
  const server = await startFakeLinksServer(name);
  cleanups.push(() => server.close());
  const link = new TcpLatencyLink({
    listenHost: '127.0.0.1',
    targetHost: '127.0.0.1',
    targetPort: server.port,
    rttMs,
    connectDelayMs: 0,
  });
  await link.start();
  cleanups.push(() => link.stop());
  return { server, link, route: { ...link.address, connectDelayMs: rttMs } satisfies Route };
}

async function resolverVia(gslbPort: number, rttMs: number): Promise<GslbResolver> {
  const dnsLink = new UdpLatencyLink({
    listenHost: '127.0.0.1',
    targetHost: '127.0.0.1',
    targetPort: gslbPort,
    rttMs,
  });
  await dnsLink.start();
  cleanups.push(() => dnsLink.stop());
  const resolver = new GslbResolver({
    serverHost: '127.0.0.1',
    serverPort: dnsLink.address.port,
    subnet: subnet(),
  });
  await resolver.start();
  cleanups.push(() => resolver.stop());
  return resolver;
}

describe('UserPopulation', () => {
  it('runs journeys through DNS with ECS and a latency link, recording each request split', async () => {
    const rtt = 20;
    const r1 = await region('eu-west-2', rtt);
    const gslb = await startFakeGslb(() => ({ addresses: ['127.0.3.1'], ttlSeconds: 30 }));
    cleanups.push(() => gslb.close());
    const resolver = await resolverVia(gslb.port, rtt);
    const records: RequestRecord[] = [];
    const pop = new UserPopulation({
      location: 'london',
      hostname: HOST,
      resolver,
      route: (a) => (a === '127.0.3.1' ? r1.route : undefined),
      rps: 50,
      maxJourneys: 5,
      onRecord: (r) => records.push(r),
    });
    pop.start();
    await pop.whenDone();
    expect(pop.counts).toMatchObject({ started: 5, succeeded: 5, failed: 0 });
    expect(records).toHaveLength(15);
    expect(records.map((r) => r.step).sort()).toEqual([
      ...Array(5).fill('link'),
      ...Array(5).fill('redirect'),
      ...Array(5).fill('session'),
    ]);
    expect(records.every((r) => r.ok && r.region === 'eu-west-2' && r.location === 'london')).toBe(true);
    // The TTL is honoured: one query for the whole run, and it carried the network's subnet.
    expect(gslb.subnets[0]).toBe(SUBNET);
    expect(resolver.queries).toBe(1); // journeys waiting for the first answer share its query
    const first = records.find((r) => r.step === 'session' && r.dnsMs > 0)!;
    expect(first.dnsMs).toBeGreaterThanOrEqual(rtt);
    const sessions = records.filter((r) => r.step === 'session');
    for (const s of sessions) {
      expect(s.connectMs).toBeGreaterThanOrEqual(rtt); // set-up: one round trip
      expect(s.responseMs).toBeGreaterThanOrEqual(rtt); // request there and back
    }
    const reused = records.filter((r) => r.step === 'redirect');
    expect(reused.every((r) => r.connectMs === 0 && r.dnsMs === 0)).toBe(true);
  });

  it('honours the TTL: cached answers send no query until it runs out', async () => {
    const r1 = await region('eu-west-2', 1);
    const gslb = await startFakeGslb(() => ({ addresses: ['127.0.3.1'], ttlSeconds: 30 }));
    cleanups.push(() => gslb.close());
    const resolver = await resolverVia(gslb.port, 1);
    const records: RequestRecord[] = [];
    const pop = new UserPopulation({
      location: 'london',
      hostname: HOST,
      resolver,
      route: () => r1.route,
      rps: 5,
      maxJourneys: 4,
      maxInFlight: 1,
      onRecord: (r) => records.push(r),
    });
    pop.start();
    await pop.whenDone();
    expect(pop.counts.succeeded + pop.counts.failed).toBe(pop.counts.started);
    expect(resolver.queries).toBe(1);
    expect(gslb.subnets).toEqual([SUBNET]);
  });

  it('retries on the next answered address when a connection fails', async () => {
    const dead = await region('us-east-1', 5);
    const live = await region('eu-west-2', 5);
    await dead.server.close();
    const gslb = await startFakeGslb(() => ({ addresses: ['127.0.2.1', '127.0.3.1'], ttlSeconds: 30 }));
    cleanups.push(() => gslb.close());
    const resolver = await resolverVia(gslb.port, 1);
    const records: RequestRecord[] = [];
    const routes: Record<string, Route> = { '127.0.2.1': dead.route, '127.0.3.1': live.route };
    const pop = new UserPopulation({
      location: 'london',
      hostname: HOST,
      resolver,
      route: (a) => routes[a],
      rps: 20,
      maxJourneys: 3,
      maxInFlight: 1,
      onRecord: (r) => records.push(r),
    });
    pop.start();
    await pop.whenDone();
    expect(pop.counts).toMatchObject({ started: 3, succeeded: 3, failed: 0 });
    const sessions = records.filter((r) => r.step === 'session');
    expect(sessions.every((r) => r.ok && r.region === 'eu-west-2' && r.attempts === 2)).toBe(true);
  });

  it('re-resolves when every cached address failed, and records the error when nothing works', async () => {
    const dead = await region('us-east-1', 1);
    await dead.server.close();
    const gslb = await startFakeGslb(() => ({ addresses: ['127.0.2.1'], ttlSeconds: 30 }));
    cleanups.push(() => gslb.close());
    const resolver = await resolverVia(gslb.port, 1);
    const records: RequestRecord[] = [];
    const pop = new UserPopulation({
      location: 'london',
      hostname: HOST,
      resolver,
      route: () => dead.route,
      rps: 20,
      maxJourneys: 1,
      onRecord: (r) => records.push(r),
    });
    pop.start();
    await pop.whenDone();
    expect(pop.counts).toMatchObject({ started: 1, succeeded: 0, failed: 1 });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ ok: false, region: null, step: 'session' });
    expect(records[0]!.error).toMatch(/connection-reset|connect-refused/);
    expect(resolver.queries).toBe(2);
  });
});
