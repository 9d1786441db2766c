import { describe, expect, it } from 'vitest';
import { lintWorldText, type World } from '../world/index.js';
import { diffWorlds, isEmptyDiff } from './world-diff.js';

function world(regions: string, home = 'us-west-2', zone = 'example.test'): World {
  const r = lintWorldText(`zone: ${zone}
home: ${home}
regions:
${regions}
hostnames:
  links: { workload: links, policy: latency }
services:
  links: { in: all }
`);
  if (!r.world) throw new Error(JSON.stringify(r.diagnostics));
  return r.world;
}

const US = '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.71.1, port: 8080 }';
const EU = '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.72.1, port: 8080 }';
const AF = '  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.73.1, port: 8080 }';

describe('diffWorlds', () => {
  it('finds an added and a removed region', () => {
    const d = diffWorlds(world([US, EU].join('\n')), world([US, AF].join('\n')));
    expect(d).toEqual({ added: ['af-south-1'], removed: ['eu-west-2'], replaced: [], unsupported: [] });
    expect(isEmptyDiff(d)).toBe(false);
  });

  it('replaces a region whose address changed', () => {
    const moved = EU.replace('127.0.72.1', '127.0.74.1');
    const d = diffWorlds(world([US, EU].join('\n')), world([US, moved].join('\n')));
    expect(d.replaced).toEqual(['eu-west-2']);
  });

  it('is empty for the same world and refuses another home', () => {
    const a = world([US, EU].join('\n'));
    expect(isEmptyDiff(diffWorlds(a, a))).toBe(true);
    const d = diffWorlds(a, world([US, EU].join('\n'), 'eu-west-2'));
    expect(d.unsupported[0]).toMatch(/home changed/);
  });
});
