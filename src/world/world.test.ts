import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from './lint-world.js';
import { worldJsonSchema } from './world-json-schema.js';

const TEXT = `zone: Example.Test.
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, health: { intervalMs: 1000 } }
  lab-1:     { cidr: 10.30.0.0/16, address: 127.0.3.1, location: { lat: 1.5, lon: 2.5 } }
hostnames:
  links.example.test: { workload: links, policy: failover, order: [lab-1], rollout: { region: lab-1, percent: 12.34 } }
services:
  links: { in: all }
`;

describe('buildWorld', () => {
  const world = lintWorldText(TEXT).world!;

  it('normalises names, resolves locations and merges health overrides', () => {
    expect(world.zone).toBe('example.test');
    expect(world.regions.map((r) => [r.name, r.index, r.isHome])).toEqual([
      ['us-west-2', 0, true],
      ['eu-west-2', 1, false],
      ['lab-1', 2, false],
    ]);
    expect(world.regions[0]?.location).toEqual({ lat: 45.84, lon: -119.7 });
    expect(world.regions[2]?.location).toEqual({ lat: 1.5, lon: 2.5 });
    expect(world.regions[1]?.health).toEqual({
      path: '/healthz',
      intervalMs: 1000,
      timeoutMs: 300,
      rise: 2,
      fall: 2,
    });
    expect(world.regions[0]?.port).toBe(8080);
  });

  it('puts the declared failover order first and converts rollout percent to basis points', () => {
    expect(world.hostnames[0]).toMatchObject({
      name: 'links',
      fqdn: 'links.example.test',
      candidates: ['lab-1', 'us-west-2', 'eu-west-2'],
      rollout: { region: 'lab-1', basisPoints: 1234, sticky: true },
    });
  });

  it('is frozen and hashes the source bytes', () => {
    expect(Object.isFrozen(world.regions[0]!.health)).toBe(true);
    expect(() => {
      (world as { home: string }).home = 'x';
    }).toThrow(TypeError);
    expect(world.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(lintWorldText(`${TEXT}\n`).world!.hash).not.toBe(world.hash);
  });
});

describe('shipped JSON Schema', () => {
  it('is the one generated from the zod schema (run `npm run schema` after changing it)', () => {
    const shipped = JSON.parse(
      readFileSync(new URL('../../schema/meridian.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(worldJsonSchema());
  });
});
