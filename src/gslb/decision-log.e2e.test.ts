// The decision log end to end: a real GSLB on 127.0.0.1 port 0, real queries with dig +subnet,
// then GET /v1/decisions returns the answers actually sent (not a simulation), by the network
// the client maps to or by its /24 bucket, and meridian_dns_decisions_total counts them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionsAnswer } from './gslb.js';
import { digShort, type E2e, startE2e, until } from './test-support/e2e-world.js';

let e: E2e;

beforeAll(async () => {
  e = await startE2e();
  await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
});

afterAll(async () => {
  await e?.stop();
});

async function decisions(client: string, name: string): Promise<{ status: number; body: DecisionsAnswer }> {
  const res = await fetch(
    `${e.adminUrl}/v1/decisions?client=${encodeURIComponent(client)}&name=${encodeURIComponent(name)}`,
  );
  return { status: res.status, body: (await res.json()) as DecisionsAnswer };
}

describe('GET /v1/decisions (the decision log)', () => {
  it('returns nothing for a client no query came from', async () => {
    const d = await decisions('203.0.113.7', 'links');
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ hostname: 'links.example.test', locatedAs: 'network:cape-town' });
    expect(d.body.answers).toEqual([]);
    expect(d.body.regions).toEqual([]);
  });

  it('shows the answers a located network actually got, with counts and reasons', async () => {
    for (let i = 0; i < 3; i++)
      expect(await digShort(e.port, ['links.example.test', '+subnet=203.0.113.0/24'])).toEqual(['127.0.3.1']);
    const d = await decisions('203.0.113.99', 'links.example.test');
    expect(d.status).toBe(200);
    expect(d.body.locatedAs).toBe('network:cape-town');
    expect(d.body.regions).toEqual(['af-south-1']);
    expect(d.body.answers).toHaveLength(1);
    expect(d.body.answers[0]).toMatchObject({
      regions: ['af-south-1'],
      count: 3,
      reasons: ['ordered-by:model'],
    });
    expect(Date.parse(d.body.answers[0]?.lastSeen ?? '')).toBeGreaterThan(0);
  });

  it('buckets unlocated clients by /24 and keeps answers apart before and after a drain', async () => {
    expect(await digShort(e.port, ['links.example.test', '+subnet=100.64.9.0/24'])).toEqual(['127.0.1.1']);
    e.gslb.drain('us-west-2');
    await until('us-west-2 drained', async () => !e.gslb.engine.steering.health.regions[0]!.serving);
    const after = await digShort(e.port, ['links.example.test', '+subnet=100.64.9.0/24']);
    expect(after).not.toEqual(['127.0.1.1']);
    const d = await decisions('100.64.9.200', 'links');
    expect(d.body.locatedAs).toBe('subnet:100.64.9.0/24');
    expect(d.body.answers).toHaveLength(2);
    // most recent first: after the drain, with the reason
    expect(d.body.answers[0]?.reasons).toContain('drained:us-west-2');
    expect(d.body.answers[1]).toMatchObject({ regions: ['us-west-2'], count: 1 });
    // another /24 of the same /16 saw nothing
    expect((await decisions('100.64.10.1', 'links')).body.answers).toEqual([]);
    e.gslb.undrain('us-west-2');
  });

  it('exports bounded-cardinality counters by hostname, region and reason code', async () => {
    const text = await (await fetch(`${e.adminUrl}/metrics`)).text();
    expect(text).toMatch(
      /meridian_dns_decisions_total\{hostname="links\.example\.test",region="af-south-1",reason="ordered-by:model"\} 3/,
    );
    expect(text).toMatch(/meridian_dns_decisions_total\{[^}]*reason="drained"\} 1/);
    expect(text).not.toMatch(/meridian_dns_decisions_total\{[^}]*(client|subnet)=/);
  });

  it('rejects a bad client and an unknown hostname', async () => {
    expect((await decisions('not-an-ip', 'links')).status).toBe(400);
    expect((await decisions('203.0.113.1', 'nope')).status).toBe(404);
  });
});
