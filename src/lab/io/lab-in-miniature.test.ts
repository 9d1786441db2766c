// The lab's parts wired together the way `meridian up` will: a two-region world, its latency
// links, a GSLB (fake), two regions (fake links APIs), users, stats and a drill report.
import { afterEach, describe, expect, it } from 'vitest';
import { loadAwsRttTable } from '../../geo/io/index.js';
import { lintWorldText } from '../../world/index.js';
import { buildDrillReport } from '../drill-report.js';
import { resolveLabRtts } from '../lab-rtts.js';
import { planLatencyLinks } from '../latency-link-plan.js';
import { StatsAggregator } from '../stats-aggregator.js';
import { GslbResolver } from './gslb-resolver.js';
import { LabLinks } from './lab-links.js';
import { startFakeGslb } from './test-support/fake-gslb.js';
import { startFakeLinksServer } from './test-support/fake-links-server.js';
import { UserPopulation } from './user-population.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('the lab in miniature', () => {
  it('users keep succeeding when the nearest region dies, by retrying on the next answer', async () => {
    const london = await startFakeLinksServer('eu-west-2', 0, '127.0.3.1');
    const virginia = await startFakeLinksServer('us-east-1', 0, '127.0.2.1');
    cleanups.push(() => virginia.close());
    let londonUp = true;
    cleanups.push(async () => {
      if (londonUp) await london.close();
    });
    const text = `zone: example.test
home: us-east-1
regions:
  us-east-1: { cidr: 10.11.0.0/16, address: 127.0.2.1, port: ${virginia.port} }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.3.1, port: ${london.port} }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 1, answers: 2 }
services:
  links: { in: all }
networks:
  - { name: london, cidr: 198.51.100.0/24, cloudRegion: eu-west-2 }
lab:
  users: { london: { rps: 20 } }
`;
    const lint = lintWorldText(text);
    const world = lint.world!;
    expect(world, JSON.stringify(lint.diagnostics)).toBeDefined();
    const gslb = await startFakeGslb(() => ({ addresses: ['127.0.3.1', '127.0.2.1'], ttlSeconds: 1 }));
    cleanups.push(() => gslb.close());
    const rtts = resolveLabRtts(world, loadAwsRttTable());
    const links = new LabLinks(
      planLatencyLinks(world, rtts, { gslb: { host: '127.0.0.1', port: gslb.port } }),
    );
    await links.start();
    cleanups.push(() => links.stop());
    const network = world.networks[0]!;
    const resolver = new GslbResolver({
      serverHost: '127.0.0.1',
      serverPort: links.dnsFor('london')!.port,
      subnet: network.cidr,
    });
    await resolver.start();
    cleanups.push(() => resolver.stop());
    const stats = new StatsAggregator({ originMs: Date.now() });
    const pop = new UserPopulation({
      location: 'london',
      hostname: 'links.example.test',
      resolver,
      route: links.routesFor('london'),
      rps: 20,
      maxJourneys: 40,
      onRecord: (r) => stats.record(r),
    });
    pop.start();
    // The drill: after 10 journeys, London's region dies.
    const deadline = Date.now() + 20_000;
    while (pop.counts.started < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await london.close();
    londonUp = false;
    await pop.whenDone();
    expect(pop.counts).toMatchObject({ started: 40, failed: 0, succeeded: 40 });
    const total = stats.total('london');
    expect(total.requests).toBe(120);
    expect(total.errors).toBe(0);
    expect(total.regions['eu-west-2']).toBeGreaterThan(0);
    expect(total.regions['us-east-1']).toBeGreaterThan(0);
    expect(gslb.subnets.every((s) => s === '198.51.100.0/24')).toBe(true);
    const report = buildDrillReport({
      title: 'region-down eu-west-2',
      zone: world.zone,
      worldHash: world.hash,
      regions: world.regions.map((r) => r.name),
      stats,
      log: [],
      endedAtMs: Date.now(),
    });
    expect(report.locations[0]!.total.requests).toBe(120);
  });
});
