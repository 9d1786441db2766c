import { describe, expect, it } from 'vitest';
import { parseAddress } from '../core/index.js';
import { uniformHealthTable } from '../health-table/index.js';
import { ClientClassification } from './client-classification.js';
import { ClientLocator } from './client-locator.js';
import { explainQuery, parseClientSpec } from './explain-query.js';
import { rolloutBucket } from './rollout-bucket.js';
import { answerScope, type ClientSubnet, compileSteering } from './steering-snapshot.js';
import { healthWith, POLICY_WORLD_YAML, policyWorld } from './test-support/policy-world.js';

const world = policyWorld();
const names = (w: typeof world, idx: readonly number[]) => idx.map((i) => w.regions[i]!.name);

function decide(hostname: string, client: string, health = healthWith(world), inRollout = false) {
  const locator = new ClientLocator(world);
  const policy = compileSteering(world, health, undefined, { locator });
  const spec = parseClientSpec(policy, client);
  if (!spec.ok) throw new Error(spec.reason);
  const located = new ClientClassification();
  const cls = locator.locate(spec.value.family, spec.value.bytes, spec.value.prefixLength, located);
  const h = world.hostnames.findIndex((x) => x.name === hostname);
  const d = policy.decide(h, cls, inRollout);
  return { ...d, names: names(world, d.regions), scope: located.scope, policy, h };
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

  it('attaches the reason codes to the cached decision (decision log)', () => {
    // the measured table gave portland's figure; cape-town's comes from the model
    expect(decide('links', 'portland').reasons).toEqual(['ordered-by:table']);
    expect(decide('links', 'cape-town').reasons).toEqual(['ordered-by:model']);
    const h = healthWith(world, { down: ['af-south-1'], drained: ['eu-west-2'] });
    const reasons = decide('links', 'cape-town', h).reasons;
    expect([...reasons].sort()).toEqual(['down:af-south-1', 'drained:eu-west-2', 'ordered-by:model']);
    expect(reasons.at(-1)).toBe('ordered-by:model');
    expect(decide('roll', 'cape-town', healthWith(world), true).reasons[0]).toBe('rollout-in');
    expect(decide('roll', 'cape-town', healthWith(world), false).reasons[0]).toBe('rollout-out');
    // a failover name is not ordered by latency
    expect(decide('links-fo', 'london').reasons).toEqual([]);
    // the same object on the next call: cached, not recomputed per query
    const d = decide('links', 'london');
    expect(d.policy.decide(d.h, 1, false)).toBe(d.policy.decide(d.h, 1, false));
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
    const out = new ClientClassification();
    const id = locator.locate(
      a.value.family,
      a.value.bytes,
      prefix ?? (a.value.family === 4 ? 32 : 128),
      out,
    );
    return { key: locator.classes[id]!.key, scope: out.scope };
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
    const out = new ClientClassification();
    const id = geo.locate(4, Uint8Array.from([41, 0, 0, 1]), 32, out);
    expect([geo.classes[id]!.key, out.scope]).toEqual(['geoip:-34,18', 20]);
    const policy = compileSteering(world, healthWith(world), undefined, { locator: geo });
    expect(names(world, policy.decide(0, id, false).regions)).toEqual(['af-south-1']);
    expect(geo.classes[geo.locate(4, Uint8Array.from([9, 9, 9, 9]), 32, out)]!.key).toBe('unknown');
  });

  it('answer scope: 0 when the answer does not depend on the client; ≥ /24 under a sticky rollout', () => {
    const policy = compileSteering(world, healthWith(world), undefined, { locator });
    const h = (n: string) => policy.hostnames[world.hostnames.findIndex((x) => x.name === n)]!;
    expect(answerScope(h('links'), 4, 16)).toBe(16);
    expect(answerScope(h('links-fo'), 4, 16)).toBe(0);
    expect(answerScope(h('api'), 4, 24)).toBe(0);
    expect(answerScope(h('roll'), 4, 16)).toBe(24);
  });
});

describe('explainQuery', () => {
  it('reports every stage with its input and output, and the answer', () => {
    const policy = compileSteering(world, healthWith(world, { down: ['af-south-1'] }));
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

describe('SteeringSnapshot.classify', () => {
  const steering = compileSteering(world, healthWith(world), undefined, { random: { next: () => 0.5 } });
  const hostIndex = (n: string) => world.hostnames.findIndex((x) => x.name === n);
  const v4 = (ip: string) => {
    const a = parseAddress(ip);
    if (!a.ok) throw new Error(a.reason);
    return a.value.bytes;
  };
  const ecs = (ip: string, prefix: number) => ({
    ecs: true,
    ecsFamily: ip.includes(':') ? 2 : 1,
    ecsAddress: v4(ip),
    ecsSourcePrefix: prefix,
  });
  const NO_ECS: ClientSubnet = {
    ecs: false,
    ecsFamily: 0,
    ecsAddress: new Uint8Array(16),
    ecsSourcePrefix: 0,
  };
  const source = (ip: string) => ({ family: (ip.includes(':') ? 6 : 4) as 4 | 6, bytes: v4(ip) });
  const out = new ClientClassification();
  const classify = (host: string, subnet: ClientSubnet, from = source('127.0.0.1')) => {
    steering.classify(hostIndex(host), subnet, from, out);
    return { key: steering.locator.classes[out.classId]!.key, scope: out.scope, inRollout: out.inRollout };
  };

  it('locates by the ECS subnet, echoing its scope; nested networks widen it', () => {
    expect(classify('links', ecs('198.51.100.0', 24))).toEqual({
      key: 'network:london',
      scope: 24,
      inRollout: false,
    });
    expect(classify('links', ecs('198.18.0.0', 15))).toEqual({
      key: 'network:europe-wide',
      scope: 24,
      inRollout: false,
    });
    expect(classify('links', ecs('198.18.7.0', 24))).toEqual({
      key: 'network:johannesburg',
      scope: 24,
      inRollout: false,
    });
    expect(classify('links', ecs('2001:db8:1::', 56))).toEqual({
      key: 'network:v6-london',
      scope: 48,
      inRollout: false,
    });
  });

  it('overwrites every field of the reused struct: no scope or class leaks into the next query', () => {
    classify('links', ecs('198.51.100.0', 24));
    // no ECS: located by the source address, and no scope to echo
    expect(classify('links', NO_ECS, source('203.0.113.9'))).toEqual({
      key: 'network:cape-town',
      scope: 0,
      inRollout: false,
    });
    classify('links', ecs('198.51.100.0', 24));
    // an answer that does not depend on the client: class 0, scope 0
    expect(classify('links-fo', ecs('198.51.100.0', 24))).toEqual({
      key: 'unknown',
      scope: 0,
      inRollout: false,
    });
    // ECS with source prefix 0: the client asked not to be located by its subnet
    expect(classify('links', ecs('198.51.100.0', 0), source('8.8.8.8'))).toEqual({
      key: 'unknown',
      scope: 0,
      inRollout: false,
    });
  });

  it('uses GeoIP for clients outside every network', () => {
    const geo = compileSteering(world, healthWith(world), undefined, {
      geo: {
        lookup: (family, bytes) =>
          family === 4 && bytes[0] === 41 ? { location: { lat: -33.9, lon: 18.4 }, prefixLength: 20 } : null,
      },
    });
    geo.classify(hostIndex('links'), ecs('41.0.0.0', 24), source('127.0.0.1'), out);
    expect([geo.locator.classes[out.classId]!.key, out.scope]).toEqual(['geoip:-34,18', 20]);
  });

  it('a sticky rollout puts the client by its subnet bucket and widens the scope to /24', () => {
    const roll = hostIndex('roll');
    const seed = steering.hostnames[roll]!.seed;
    let seen = { in: 0, out: 0 };
    for (let i = 0; i < 256 && (seen.in === 0 || seen.out === 0); i++) {
      for (let j = 0; j < 256 && (seen.in === 0 || seen.out === 0); j++) {
        const subnet = ecs(`10.${i}.${j}.0`, 16 + 8);
        const c = classify('roll', subnet);
        expect(c.inRollout).toBe(rolloutBucket(4, subnet.ecsAddress, 24, seed) < 100);
        expect(c.scope).toBe(24);
        seen = c.inRollout ? { ...seen, in: seen.in + 1 } : { ...seen, out: seen.out + 1 };
      }
    }
    expect(seen.in).toBeGreaterThan(0);
    expect(seen.out).toBeGreaterThan(0);
  });

  it('a non-sticky rollout flips the injected coin', () => {
    const coinWorld = policyWorld(
      POLICY_WORLD_YAML.replace(
        'rollout: { region: af-south-1, percent: 1 }',
        'rollout: { region: af-south-1, percent: 50, sticky: false }',
      ),
    );
    let coin = 0.2;
    const s = compileSteering(coinWorld, healthWith(coinWorld), undefined, { random: { next: () => coin } });
    const roll = coinWorld.hostnames.findIndex((h) => h.name === 'roll');
    s.classify(roll, NO_ECS, source('8.8.8.8'), out);
    expect(out.inRollout).toBe(true);
    coin = 0.7;
    s.classify(roll, NO_ECS, source('8.8.8.8'), out);
    expect(out.inRollout).toBe(false);
  });
});

describe('compileSteering', () => {
  it('refuses a health table of another world (regions differ): a mismatched pair never compiles', () => {
    const other = uniformHealthTable(['us-west-2', 'eu-west-2'], 'up');
    expect(() => compileSteering(world, other)).toThrow(
      expect.objectContaining({ code: 'MERIDIAN_POLICY_HEALTH_MISMATCH' }),
    );
    const reordered = uniformHealthTable(['eu-west-2', 'us-west-2', 'af-south-1'], 'up');
    expect(() => compileSteering(world, reordered)).toThrow(/does not describe the regions/);
  });

  it('applies rollout overrides without touching the world it was given', () => {
    const fqdn = world.hostnames.find((h) => h.name === 'links')!.fqdn;
    const s = compileSteering(world, healthWith(world), {
      rollouts: new Map([[fqdn, { region: 'eu-west-2', basisPoints: 10_000, sticky: true }]]),
    });
    expect(s.baseWorld).toBe(world);
    expect(s.world.hostnames.find((h) => h.fqdn === fqdn)!.rollout?.region).toBe('eu-west-2');
    expect(world.hostnames.find((h) => h.fqdn === fqdn)!.rollout).toBeUndefined();
    expect(s.hostnames[world.hostnames.findIndex((h) => h.fqdn === fqdn)]!.rolloutFull).toBe(true);
  });
});
