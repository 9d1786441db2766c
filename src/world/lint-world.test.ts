import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from './lint-world.js';

// A valid world; each case below breaks it in one way. Line numbers refer to the case's text.
const BASE = `zone: example.test
home: us-west-2
regions:
  us-west-2:  { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2:  { cidr: 10.20.0.0/16, address: 127.0.2.1 }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }
hostnames:
  links: { workload: links, policy: latency }
  api:   { workload: partner-relay, policy: home }
services:
  links:
    in: all
    dependsOn: [ { service: config, kind: soft } ]
  config:        { in: home, owns: [config-db] }
  partner-relay: { in: home, owns: [partner-db] }
networks:
  - { name: london, cidr: 198.51.100.0/24, location: { lat: 51.5, lon: -0.1 } }
`;

function edit(line: number, replacement: string, text = BASE): string {
  const lines = text.split('\n');
  lines[line - 1] = replacement;
  return lines.join('\n');
}

interface Case {
  name: string;
  text: string;
  code: string;
  path: string;
  line: number;
  severity?: 'error' | 'warning';
}

const CASES: Case[] = [
  {
    name: 'malformed YAML',
    text: edit(5, '  eu-west-2:  { cidr: 10.20.0.0/16, address: 127.0.2.1'),
    code: 'yaml-syntax',
    path: '',
    line: 6,
  },
  {
    name: 'duplicate YAML key',
    text: edit(6, '  eu-west-2: { cidr: 10.30.0.0/16, address: 127.0.3.1 }'),
    code: 'duplicate-name',
    path: '',
    line: 6,
  },
  {
    name: 'unknown key',
    text: edit(8, '  links: { workload: links, polcy: latency }'),
    code: 'schema-unknown-key',
    path: 'hostnames.links.polcy',
    line: 8,
  },
  {
    name: 'wrong type',
    text: edit(8, '  links: { workload: links, ttlSeconds: thirty }'),
    code: 'schema-invalid-type',
    path: 'hostnames.links.ttlSeconds',
    line: 8,
  },
  {
    name: 'missing field',
    text: edit(5, '  eu-west-2:  { cidr: 10.20.0.0/16 }'),
    code: 'schema-missing-field',
    path: 'regions.eu-west-2.address',
    line: 5,
  },
  {
    name: 'bad enum value',
    text: edit(8, '  links: { workload: links, policy: nearest }'),
    code: 'schema-invalid-value',
    path: 'hostnames.links.policy',
    line: 8,
  },
  {
    name: 'home not a region',
    text: edit(2, 'home: us-east-1'),
    code: 'home-not-a-region',
    path: 'home',
    line: 2,
  },
  {
    name: 'unknown service',
    text: edit(13, '    dependsOn: [ { service: konfig, kind: soft } ]'),
    code: 'unknown-reference',
    path: 'services.links.dependsOn[0].service',
    line: 13,
  },
  {
    name: 'unknown region',
    text: edit(12, '    in: [us-west-2, eu-west-9]'),
    code: 'unknown-reference',
    path: 'services.links.in[1]',
    line: 12,
  },
  {
    name: 'unknown workload',
    text: edit(8, '  links: { workload: linkz, policy: latency }'),
    code: 'unknown-reference',
    path: 'hostnames.links.workload',
    line: 8,
  },
  {
    name: 'unknown network',
    text: `${BASE}lab:\n  users: { paris: { rps: 1 } }\n`,
    code: 'unknown-reference',
    path: 'lab.users.paris',
    line: 19,
  },
  {
    name: 'duplicate hostname',
    text: edit(9, '  LINKS.example.test: { workload: links }'),
    code: 'duplicate-name',
    path: 'hostnames["LINKS.example.test"]',
    line: 9,
  },
  {
    name: 'duplicate network name',
    text: `${BASE}  - { name: london, cidr: 203.0.113.0/24, location: { lat: 1, lon: 1 } }\n`,
    code: 'duplicate-name',
    path: 'networks[1].name',
    line: 18,
  },
  {
    name: 'invalid CIDR',
    text: edit(5, '  eu-west-2:  { cidr: 10.20.0.0/33, address: 127.0.2.1 }'),
    code: 'cidr-invalid',
    path: 'regions.eu-west-2.cidr',
    line: 5,
  },
  {
    name: 'overlapping CIDRs',
    text: edit(5, '  eu-west-2:  { cidr: 10.10.128.0/17, address: 127.0.2.1 }'),
    code: 'cidr-overlap',
    path: 'regions.eu-west-2.cidr',
    line: 5,
  },
  {
    name: 'invalid address',
    text: edit(5, '  eu-west-2:  { cidr: 10.20.0.0/16, address: 127.0.2 }'),
    code: 'address-invalid',
    path: 'regions.eu-west-2.address',
    line: 5,
  },
  {
    name: 'duplicate address',
    text: edit(6, '  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.1.1 }'),
    code: 'address-duplicate',
    path: 'regions.af-south-1.address',
    line: 6,
  },
  {
    name: 'unknown location',
    text: edit(6, '  mars-1:     { cidr: 10.30.0.0/16, address: 127.0.3.1 }'),
    code: 'region-location-unknown',
    path: 'regions.mars-1.location',
    line: 6,
  },
  {
    name: 'rule 1: hard dependency on home',
    text: edit(13, '    dependsOn: [ { service: config, kind: hard } ]'),
    code: 'topology-hard-dependency-on-home',
    path: 'services.links.dependsOn[0].kind',
    line: 13,
  },
  {
    name: 'rule 2: home depends on a region-only service',
    text: edit(
      14,
      '  config:        { in: home, owns: [config-db], dependsOn: [ { service: edge, kind: soft } ] }\n  edge: { in: [eu-west-2] }',
    ),
    code: 'topology-home-depends-on-region',
    path: 'services.config.dependsOn[0]',
    line: 14,
  },
  {
    name: 'rule 3: a region depends on another region',
    text: edit(14, '  config:        { in: [eu-west-2], owns: [config-db] }').replace(
      '    in: all',
      '    in: [eu-west-2, af-south-1]',
    ),
    code: 'topology-cross-region',
    path: 'services.links.dependsOn[0]',
    line: 13,
  },
  {
    name: 'datastore with two owners',
    text: edit(15, '  partner-relay: { in: home, owns: [config-db] }'),
    code: 'datastore-owners',
    path: 'services.partner-relay.owns[0]',
    line: 15,
  },
  {
    name: 'hostnames of two workloads collide',
    text: edit(9, '  links.example.test: { workload: partner-relay, policy: home }'),
    code: 'hostname-shared',
    path: 'hostnames["links.example.test"]',
    line: 9,
  },
  {
    name: 'latency hostname on one region',
    text: edit(12, '    in: [eu-west-2]')
      .replace('kind: soft', 'kind: soft')
      .replace('  config:        { in: home', '  config:        { in: [us-west-2, eu-west-2]'),
    code: 'hostname-single-region',
    path: 'hostnames.links.policy',
    line: 8,
    severity: 'warning',
  },
  {
    name: 'home hostname off home',
    text: edit(9, '  api:   { workload: links, policy: home }')
      .replace('    in: all', '    in: [eu-west-2, af-south-1]')
      .replace('{ in: home, owns: [config-db] }', '{ in: all, owns: [config-db] }'),
    code: 'hostname-home-placement',
    path: 'hostnames.api.policy',
    line: 9,
  },
  {
    name: 'rollout percent out of range',
    text: edit(8, '  links: { workload: links, rollout: { region: af-south-1, percent: 101 } }'),
    code: 'rollout-percent',
    path: 'hostnames.links.rollout.percent',
    line: 8,
  },
  {
    name: 'rollout percent finer than 0.01',
    text: edit(8, '  links: { workload: links, rollout: { region: af-south-1, percent: 0.005 } }'),
    code: 'rollout-percent',
    path: 'hostnames.links.rollout.percent',
    line: 8,
  },
  {
    name: 'rollout region without the workload',
    text: edit(8, '  links: { workload: links, rollout: { region: us-west-2, percent: 5 } }')
      .replace('    in: all', '    in: [eu-west-2, af-south-1]')
      .replace('{ in: home, owns: [config-db] }', '{ in: all, owns: [config-db] }'),
    code: 'rollout-region',
    path: 'hostnames.links.rollout.region',
    line: 8,
  },
  {
    name: 'dependency cycle',
    text: edit(
      14,
      '  config:        { in: home, owns: [config-db], dependsOn: [ { service: partner-relay, kind: soft } ] }',
    ).replace(
      '  partner-relay: { in: home, owns: [partner-db] }',
      '  partner-relay: { in: home, owns: [partner-db], dependsOn: [ { service: config, kind: soft } ] }',
    ),
    code: 'dependency-cycle',
    path: 'services.partner-relay.dependsOn[0]',
    line: 15,
  },
  {
    name: 'failover order names a region without the workload',
    text: edit(8, '  links: { workload: links, policy: failover, order: [eu-west-2, us-west-2] }')
      .replace('    in: all', '    in: [eu-west-2, af-south-1]')
      .replace('{ in: home, owns: [config-db] }', '{ in: all, owns: [config-db] }'),
    code: 'hostname-order-placement',
    path: 'hostnames.links.order[1]',
    line: 8,
  },
];

describe('lintWorldText', () => {
  it('accepts the base world and the shipped examples without any diagnostic', () => {
    expect(lintWorldText(BASE).diagnostics).toEqual([]);
    for (const file of ['minimal.yaml', 'world.yaml', 'fleet.yaml']) {
      const text = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
      const result = lintWorldText(text, file);
      expect(result.diagnostics).toEqual([]);
      expect(result.world).toBeDefined();
    }
  });

  it.each(CASES)('$name → $code at $path line $line', (c) => {
    const result = lintWorldText(c.text);
    const match = result.diagnostics.find((d) => d.code === c.code);
    expect(match, JSON.stringify(result.diagnostics, null, 2)).toBeDefined();
    expect(match).toMatchObject({ path: c.path, line: c.line, severity: c.severity ?? 'error' });
    expect(match!.message.length).toBeGreaterThan(20);
    if ((c.severity ?? 'error') === 'error') expect(result.world).toBeUndefined();
  });

  it('reports every schema problem at once, in file order', () => {
    const text = edit(
      4,
      '  us-west-2:  { cidr: 10.10.0.0/16, address: 127.0.1.1, colour: red }',
      edit(8, '  links: { workload: links, ttlSeconds: "30", answers: 0 }'),
    );
    const codes = lintWorldText(text).diagnostics.map((d) => `${d.line}:${d.code}`);
    expect(codes).toEqual(['4:schema-unknown-key', '8:schema-invalid-type', '8:schema-invalid-value']);
  });

  it('suggests the nearest key for a typo', () => {
    const [d] = lintWorldText(edit(8, '  links: { workload: links, polcy: latency }')).diagnostics;
    expect(d?.message).toContain('did you mean "policy"?');
    expect(d?.column).toBe(29);
  });

  it('never throws on hostile input', () => {
    for (const text of [
      '',
      '---\n...',
      '[1, 2]',
      'a: &a [*a]',
      '!!binary xyz',
      'zone: {',
      '\u0000\u0001',
      'x: 1\n'.repeat(10_000),
    ]) {
      const result = lintWorldText(text);
      expect(result.world).toBeUndefined();
      expect(result.diagnostics.length).toBeGreaterThan(0);
    }
  });
});
