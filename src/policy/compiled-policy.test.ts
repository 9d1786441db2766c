import { describe, expect, it } from 'vitest';
import { parseAddress } from '../core/index.js';
import { uniformHealthTable } from '../health-table/index.js';
import { ClientLocator } from './client-locator.js';
import { answerScope, compilePolicy } from './compiled-policy.js';
import { explainQuery, parseClientSpec } from './explain-query.js';
import { healthWith, policyWorld } from './test-support/policy-world.js';

const world = policyWorld();
const names = (w: typeof world, idx: readonly number[]) => idx.map((i) => w.regions[i]!.name);

function decide(hostname: string, client: string, health = healthWith(world), inRollout = false) {
  const locator = new ClientLocator(world);
  const policy = compilePolicy(world, health, locator);
  const spec = parseClientSpec(policy, client);
  if (!spec.ok) throw new Error(spec.reason);
  const cls = locator.locate(spec.value.family, spec.value.bytes, spec.value.prefixLength);
  const h = world.hostnames.findIndex((x) => x.name === hostname);
  const d = policy.decide(h, cls, inRollout);
  return { ...d, names: names(world, d.regions), scope: locator.lastScope, policy, h };
}

describe('the steering pipeline', () => {
  it.each([
    ['links', 'cape-town', ['af-south-1']],
    ['links', 'london', ['eu-west-2']],
    ['links', '203.0.113.77', ['af-south-1']],
    ['links2', 'cape-town', ['af-south-1', 'eu-west-2']],
    ['links-fo', 'london', ['af-south-1']],
    ['api', 'cape-town', ['us-west-2']],
    // the measured table wins over the model: 5 ms from portland to eu-west-2
    ['links', 'portland', ['eu-west-2']],
    // unknown clients are assumed to be at home
    ['links', '8.8.8.8', ['us-west-2']],
  ])('%s for %s → %j', (host, client, expected) => {
    expect(decide(host, client).names).toEqual(expected);
  });

  it('skips regions that are down or drained, keeping the order', () => {
    expect(decide('links', 'cape-town', healthWith(world, { down: ['af-south-1'] })).names).toEqual([
      'eu-west-2',
    ]);
    expect(decide('links', 'cape-town', healthWith(world, { drained: ['af-south-1'] })).names).toEqual([
      'eu-west-2',
    ]);
    expect(decide('links-fo', 'london', healthWith(world, { down: ['af-south-1'] })).names).toEqual([
      'us-west-2',
    ]);
    // home answers home whatever the health
    expect(decide('api', 'london', healthWith(world, { down: ['us-west-2'] })).names).toEqual(['us-west-2']);
  });

  it('when every candidate is down, whenAllDown decides: home | all | none', () => {
    const allDown = uniformHealthTable(
      world.regions.map((r) => r.name),
      'down',
    );
    const home = decide('links', 'cape-town', allDown);
    expect([home.names, home.allDown]).toEqual([['us-west-2'], true]);
    const all = decide('links-all', 'cape-town', allDown);
    expect([all.names, all.allDown]).toEqual([['af-south-1', 'eu-west-2', 'us-west-2'], true]);
    const none = decide('links-none', 'cape-town', allDown);
    expect([none.names, none.allDown]).toEqual([[], true]);
    // cold start: unknown counts as down
    expect(
      decide(
        'links',
        'london',
        uniformHealthTable(
          world.regions.map((r) => r.name),
          'unknown',
        ),
      ).allDown,
    ).toBe(true);
  });

  it('rollout: clients outside the share never get the rollout region, clients inside may', () => {
    expect(decide('roll', 'cape-town', healthWith(world), false).names).toEqual(['eu-west-2']);
    expect(decide('roll', 'cape-town', healthWith(world), true).names).toEqual(['af-south-1']);
  });

  it('caches decisions per (hostname, class, side) and recompiles only with a new table', () => {
    const { policy, h } = decide('links', 'london');
    expect(policy.decide(h, 2, false)).toBe(policy.decide(h, 2, false));
  });

  it('TTL: capped by the health freshness window (fall × interval + timeout), home uncapped', () => {
    const { policy } = decide('links', 'london');
    const ttl = (n: string) => policy.hostnames[world.hostnames.findIndex((x) => x.name === n)]!.ttlSeconds;
    expect(ttl('links')).toBe(7); // 3 × 2000 + 1000 ms
    expect(ttl('api')).toBe(120);
  });
});

describe('client location and ECS scope', () => {
  const locator = new ClientLocator(world);
  const at = (ip: string, prefix?: number) => {
    const a = parseAddress(ip);
    if (!a.ok) throw new Error(a.reason);
    const id = locator.locate(a.value.family, a.value.bytes, prefix ?? (a.value.family === 4 ? 32 : 128));
    return { key: locator.classes[id]!.key, scope: locator.lastScope };
  };

  it('longest prefix wins; a network with a nested one answers with the nested scope', () => {
    expect(at('198.18.7.1')).toEqual({ key: 'network:johannesburg', scope: 24 });
    expect(at('198.19.3.4')).toEqual({ key: 'network:europe-wide', scope: 24 });
    expect(at('198.51.100.9')).toEqual({ key: 'network:london', scope: 24 });
    expect(at('2001:db8:1:2::1')).toEqual({ key: 'network:v6-london', scope: 48 });
  });

  it('a network longer than the known prefix cannot match (ECS /16 is not inside a /24)', () => {
    expect(at('198.51.0.0', 16).key).toBe('unknown');
    expect(at('198.18.0.0', 15).key).toBe('network:europe-wide');
  });

  it('unknown clients get the scope of the longest network of their family', () => {
    expect(at('8.8.8.8')).toEqual({ key: 'unknown', scope: 24 });
    expect(at('2001:4860::1')).toEqual({ key: 'unknown', scope: 48 });
  });

  it('uses the GeoIP lookup for clients outside every network, in whole-degree cells', () => {
    const geo = new ClientLocator(world, {
      lookup: (family, bytes) =>
        family === 4 && bytes[0] === 41 ? { location: { lat: -33.9, lon: 18.4 }, prefixLength: 20 } : null,
    });
    const id = geo.locate(4, Uint8Array.from([41, 0, 0, 1]), 32);
    expect([geo.classes[id]!.key, geo.lastScope]).toEqual(['geoip:-34,18', 20]);
    const policy = compilePolicy(world, healthWith(world), geo);
    expect(names(world, policy.decide(0, id, false).regions)).toEqual(['af-south-1']);
    expect(geo.classes[geo.locate(4, Uint8Array.from([9, 9, 9, 9]), 32)]!.key).toBe('unknown');
  });

  it('answer scope: 0 when the answer does not depend on the client; ≥ /24 under a sticky rollout', () => {
    const policy = compilePolicy(world, healthWith(world), locator);
    const h = (n: string) => policy.hostnames[world.hostnames.findIndex((x) => x.name === n)]!;
    expect(answerScope(h('links'), 4, 16)).toBe(16);
    expect(answerScope(h('links-fo'), 4, 16)).toBe(0);
    expect(answerScope(h('api'), 4, 24)).toBe(0);
    expect(answerScope(h('roll'), 4, 16)).toBe(24);
  });
});

describe('explainQuery', () => {
  it('reports every stage with its input and output, and the answer', () => {
    const policy = compilePolicy(
      world,
      healthWith(world, { down: ['af-south-1'] }),
      new ClientLocator(world),
    );
    const spec = parseClientSpec(policy, 'cape-town');
    if (!spec.ok) throw new Error(spec.reason);
    const e = explainQuery(policy, 'links.example.test.', spec.value)!;
    expect(e.stages.map((s) => s.stage)).toEqual([
      'candidates',
      'rollout-split',
      'healthy',
      'order',
      'first-n',
    ]);
    expect(e.stages[2]).toMatchObject({
      input: ['us-west-2', 'eu-west-2', 'af-south-1'],
      output: ['us-west-2', 'eu-west-2'],
    });
    expect(e.stages[3]!.output).toEqual(['eu-west-2', 'us-west-2']);
    expect(e.addresses).toEqual(['127.0.2.1']);
    expect(explainQuery(policy, 'nope', spec.value)).toBeNull();
    expect(parseClientSpec(policy, 'atlantis').ok).toBe(false);
  });
});
