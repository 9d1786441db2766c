import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../lint-world.js';

// A valid fleet world; each case breaks it in one way. Line numbers refer to the case's text.
const BASE = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
hostnames:
  links: { workload: links }
services:
  links: { in: all }
health: { intervalMs: 500, timeoutMs: 300 }
vantages:
  oregon: { cloudRegion: us-west-2, lab: { address: 127.0.200.1 } }
  london: { location: { lat: 51.5, lon: -0.1 } }
  tokyo: { cloudRegion: ap-northeast-1 }
`;

function edit(line: number, replacement: string): string {
  const lines = BASE.split('\n');
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
  says?: string;
}

const CASES: Case[] = [
  {
    name: 'reversed status range',
    text: edit(10, 'health: { expectStatus: [200, "299-200"] }'),
    code: 'health-status-range',
    path: 'health.expectStatus[1]',
    line: 10,
    says: '"200-299"',
  },
  {
    name: 'status out of range',
    text: edit(10, 'health: { expectStatus: [700] }'),
    code: 'schema-invalid-value',
    path: 'health.expectStatus[0]',
    line: 10,
    says: 'at most 599',
  },
  {
    name: 'status range not in quotes form',
    text: edit(10, 'health: { expectStatus: ["2xx"] }'),
    code: 'schema-invalid-value',
    path: 'health.expectStatus[0]',
    line: 10,
    says: '"200-299"',
  },
  {
    name: 'body with both matchers',
    text: edit(10, 'health: { body: { contains: ok, regex: "^ok" } }'),
    code: 'health-body',
    path: 'health.body',
    line: 10,
    says: 'both are set',
  },
  {
    name: 'body with no matcher',
    text: edit(10, 'health: { body: {} }'),
    code: 'health-body',
    path: 'health.body',
    line: 10,
  },
  {
    name: 'body regex that does not compile',
    text: edit(
      5,
      '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, health: { body: { regex: "ok(" } } }',
    ),
    code: 'health-body',
    path: 'regions.eu-west-2.health.body.regex',
    line: 5,
    says: 'not a valid regular expression',
  },
  {
    name: 'malformed certificate pin',
    text: edit(10, 'health: { type: https, pinSha256: "abc" }'),
    code: 'schema-invalid-value',
    path: 'health.pinSha256',
    line: 10,
    says: '64 hex digits',
  },
  {
    name: 'unknown check type',
    text: edit(10, 'health: { type: icmp }'),
    code: 'schema-invalid-value',
    path: 'health.type',
    line: 10,
  },
  {
    name: 'TLS option on an http check (region override)',
    text: edit(5, '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, health: { caFile: ca.pem } }'),
    code: 'health-option-unused',
    path: 'regions.eu-west-2.health.caFile',
    line: 5,
    severity: 'warning',
    says: 'type: https',
  },
  {
    name: 'HTTP option on a tcp check (world)',
    text: edit(10, 'health: { type: tcp, expectStatus: [204] }'),
    code: 'health-option-unused',
    path: 'health.expectStatus',
    line: 10,
    severity: 'warning',
    says: 'tcp',
  },
  {
    name: 'staleness bound shorter than a round plus a timeout',
    text: edit(10, 'health: { intervalMs: 500, timeoutMs: 300, staleAfterMs: 700 }'),
    code: 'health-stale-bound',
    path: 'health.staleAfterMs',
    line: 10,
    says: 'at least 800',
  },
  {
    name: 'staleness bound a region override makes too short',
    text: edit(
      5,
      '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, health: { intervalMs: 100, timeoutMs: 100, staleAfterMs: 150 } }',
    ),
    code: 'health-stale-bound',
    path: 'regions.eu-west-2.health.staleAfterMs',
    line: 5,
  },
  {
    name: 'quorum larger than the vantages',
    text: edit(10, 'health: { quorum: 4 }'),
    code: 'health-quorum',
    path: 'health.quorum',
    line: 10,
    says: 'only 3 are declared',
  },
  {
    name: 'quorum that is not a rule',
    text: edit(10, 'health: { quorum: most }'),
    code: 'schema-invalid-value',
    path: 'health.quorum',
    line: 10,
    says: '"majority", "any", "all"',
  },
  {
    name: 'quorum zero',
    text: edit(10, 'health: { quorum: 0 }'),
    code: 'schema-invalid-value',
    path: 'health.quorum',
    line: 10,
  },
  {
    name: 'vantage without a location',
    text: edit(13, '  london: {}'),
    code: 'region-location-unknown',
    path: 'vantages.london.location',
    line: 13,
  },
  {
    name: 'vantage at an unknown cloud region',
    text: edit(14, '  tokyo: { cloudRegion: mars-1 }'),
    code: 'region-location-unknown',
    path: 'vantages.tokyo.cloudRegion',
    line: 14,
  },
  {
    name: 'vantage name that is not a DNS label',
    text: edit(13, '  London: { location: { lat: 51.5, lon: -0.1 } }'),
    code: 'schema-invalid-value',
    path: 'vantages.London',
    line: 13,
  },
  {
    name: 'vantage lab address off loopback',
    text: edit(12, '  oregon: { cloudRegion: us-west-2, lab: { address: 10.0.0.1 } }'),
    code: 'vantage-lab-address',
    path: 'vantages.oregon.lab.address',
    line: 12,
    says: 'loopback',
  },
  {
    name: 'vantage lab address of a region',
    text: edit(12, '  oregon: { cloudRegion: us-west-2, lab: { address: 127.0.2.1 } }'),
    code: 'vantage-lab-address',
    path: 'vantages.oregon.lab.address',
    line: 12,
    says: 'region "eu-west-2"',
  },
  {
    name: 'two vantages on one lab address',
    text: edit(13, '  london: { location: { lat: 51.5, lon: -0.1 }, lab: { address: 127.0.200.1 } }'),
    code: 'vantage-lab-address',
    path: 'vantages.london.lab.address',
    line: 13,
    says: 'vantage "oregon"',
  },
];

describe('health and vantage lint rules', () => {
  it('accept the base fleet world', () => {
    expect(lintWorldText(BASE).diagnostics).toEqual([]);
  });

  it.each(CASES)('$name → $code at $path line $line', (c) => {
    const result = lintWorldText(c.text);
    const match = result.diagnostics.find((d) => d.code === c.code);
    expect(match, JSON.stringify(result.diagnostics, null, 2)).toBeDefined();
    expect(match).toMatchObject({ path: c.path, line: c.line, severity: c.severity ?? 'error' });
    if (c.says) expect(match!.message).toContain(c.says);
    if ((c.severity ?? 'error') === 'error') expect(result.world).toBeUndefined();
    else expect(result.world).toBeDefined();
  });

  it('accepts a numeric quorum up to the number of vantages, and the three named rules', () => {
    for (const q of ['3', '1', 'majority', 'any', 'all']) {
      expect(lintWorldText(edit(10, `health: { quorum: ${q} }`)).diagnostics).toEqual([]);
    }
  });

  it('does not warn about a world-level option that some region uses', () => {
    const text = edit(10, 'health: { caFile: ca.pem }').replace(
      '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }',
      '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1, health: { type: https } }',
    );
    expect(lintWorldText(text).diagnostics).toEqual([]);
  });
});
