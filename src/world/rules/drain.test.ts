import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../lint-world.js';

const BASE = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }
hostnames:
  links: { workload: links }
services:
  links: { in: all }
`;

describe('drain.minServing', () => {
  it.each([
    ['absent: 2', '', 2],
    ['0 turns the floor off', 'drain: { minServing: 0 }', 0],
    ['every region', 'drain: { minServing: 3 }', 3],
  ])('%s', (_name, line, expected) => {
    const r = lintWorldText(`${BASE}${line}\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.world?.drain.minServing).toBe(expected);
  });

  it('defaults to every region when there are fewer than 2', () => {
    const one = BASE.replace(/ {2}eu-west-2.*\n {2}af-south-1.*\n/, '');
    const r = lintWorldText(one);
    expect(r.world?.drain.minServing).toBe(1);
  });

  it('is an error above the number of regions, at its line', () => {
    const r = lintWorldText(`${BASE}drain:\n  minServing: 4\n`);
    expect(r.world).toBeUndefined();
    expect(r.diagnostics).toMatchObject([
      { code: 'drain-min-serving', path: 'drain.minServing', line: 12, severity: 'error' },
    ]);
    expect(r.diagnostics[0]!.message).toContain('3 regions');
  });

  it('rejects unknown keys and negative floors through the schema', () => {
    expect(lintWorldText(`${BASE}drain: { minServing: -1 }\n`).world).toBeUndefined();
    expect(lintWorldText(`${BASE}drain: { floor: 1 }\n`).world).toBeUndefined();
  });
});
