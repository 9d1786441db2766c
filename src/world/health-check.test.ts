import { describe, expect, it } from 'vitest';
import { defaultStaleAfterMs, minimumStaleAfterMs, resolveHealthCheck } from './health-check.js';
import { lintWorldText } from './lint-world.js';

const WORLD = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2:
    cidr: 10.20.0.0/16
    address: 127.0.2.1
    port: 9000
    health:
      type: https
      port: 8443
      host: "links.example.test:8443"
      caFile: ca.pem
      pinSha256: "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
      expectStatus: [200, "300-399"]
      body: { regex: "^ok" }
      intervalMs: 100
      timeoutMs: 100
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1, health: { type: tcp, staleAfterMs: 5000 } }
hostnames:
  links: { workload: links }
services:
  links: { in: all }
health: { body: { contains: ok }, quorum: 2 }
vantages:
  oregon: { cloudRegion: us-west-2, lab: { address: 127.0.200.1 } }
  london: { location: { lat: 51.5, lon: -0.1 } }
`;

describe('resolved checks, staleness and vantages', () => {
  const result = lintWorldText(WORLD);
  const world = result.world!;
  const region = (name: string) => world.regions.find((r) => r.name === name)!;

  it('lints clean', () => {
    expect(result.diagnostics).toEqual([]);
  });

  it('defaults every check to what probes did before: GET path on the region port, 200 only', () => {
    const plain = lintWorldText(
      'zone: example.test\nhome: us-west-2\nregions:\n  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }\n',
    ).world!;
    expect(plain.regions[0]!.check).toEqual({
      type: 'http',
      port: 8080,
      path: '/healthz',
      expectStatus: [[200, 200]],
    });
    expect(plain.regions[0]!.health).toEqual({
      path: '/healthz',
      intervalMs: 500,
      timeoutMs: 300,
      rise: 2,
      fall: 2,
    });
    expect(plain.regions[0]!.staleAfterMs).toBe(1800);
    expect(plain.quorum).toBe('majority');
    expect(plain.vantages).toEqual([]);
    expect(plain.health).toEqual({ path: '/healthz', intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 });
  });

  it('merges a region override over the world block and resolves every field', () => {
    expect(region('eu-west-2').check).toEqual({
      type: 'https',
      port: 8443,
      path: '/healthz',
      host: 'links.example.test:8443',
      sni: 'links.example.test',
      caFile: 'ca.pem',
      pinSha256: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
      expectStatus: [
        [200, 200],
        [300, 399],
      ],
      body: { regex: '^ok' },
    });
    // the world-level body match reaches regions that do not override it
    expect(region('us-west-2').check.body).toEqual({ contains: 'ok' });
    expect(region('af-south-1').check).toMatchObject({ type: 'tcp', port: 8080 });
  });

  it('keeps /status health to schedule and thresholds, as before', () => {
    expect(region('eu-west-2').health).toEqual({
      path: '/healthz',
      intervalMs: 100,
      timeoutMs: 100,
      rise: 2,
      fall: 2,
    });
  });

  it('derives the staleness bound from each region’s interval unless set', () => {
    expect(region('us-west-2').staleAfterMs).toBe(3 * 500 + 300);
    expect(region('eu-west-2').staleAfterMs).toBe(3 * 100 + 100);
    expect(region('af-south-1').staleAfterMs).toBe(5000);
  });

  it('resolves the quorum and the vantages in declaration order', () => {
    expect(world.quorum).toBe(2);
    expect(world.vantages).toEqual([
      {
        name: 'oregon',
        index: 0,
        location: region('us-west-2').location,
        cloudRegion: 'us-west-2',
        lab: { address: '127.0.200.1' },
      },
      { name: 'london', index: 1, location: { lat: 51.5, lon: -0.1 } },
    ]);
  });
});

describe('staleness bounds', () => {
  it('leave room for one late observation by default and for none at the minimum', () => {
    expect(defaultStaleAfterMs({ intervalMs: 500, timeoutMs: 300 })).toBe(1800);
    expect(minimumStaleAfterMs({ intervalMs: 500, timeoutMs: 300 })).toBe(800);
    // a timeout longer than the interval paces the rounds
    expect(defaultStaleAfterMs({ intervalMs: 50, timeoutMs: 300 })).toBe(1200);
  });
});

describe('resolveHealthCheck', () => {
  it('sends no SNI for an IP Host header, and none on plain http', () => {
    const base = { path: '/h' };
    expect(resolveHealthCheck({ ...base, type: 'https', host: '127.0.0.1:8443' }, 1).sni).toBeUndefined();
    expect(resolveHealthCheck({ ...base, type: 'https', host: '[::1]:8443' }, 1).sni).toBeUndefined();
    expect(resolveHealthCheck({ ...base, type: 'http', host: 'a.test' }, 1).sni).toBeUndefined();
    expect(resolveHealthCheck({ ...base, type: 'https', host: 'a.test', sni: 'b.test' }, 1).sni).toBe(
      'b.test',
    );
  });
});
