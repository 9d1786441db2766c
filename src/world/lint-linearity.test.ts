import { describe, expect, it } from 'vitest';
import { type LintWork, lintWorldText } from './index.js';

// Lint must stay linear (n log n at most) in the size of the file and in the number of
// diagnostics: a reload lints on every change, and a broken 0.9 MB file once took 23 s. Each
// case grows one part of a world 4×; lint's step count (pairs visited, path steps, names listed,
// prefixes probed, edges followed), the diagnostics and the bytes of their messages may grow by
// about 4× (5× allows n log n), never by 16×. Counts, not timings: the same on any machine.

const HEAD = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
`;
const SERVICES = `services:
  links: { in: all, dependsOn: [{ service: config, kind: soft }] }
  config: { in: home }
`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const networks = (n: number) =>
  `networks:\n${range(n)
    .map(
      (i) => `  - { name: n${i}, cidr: 100.${64 + (i >> 8)}.${i & 255}.0/24, location: { lat: 1, lon: 2 } }`,
    )
    .join('\n')}\n`;

const WORLDS: Record<string, (n: number) => string> = {
  'many valid hostnames (one large mapping)': (n) =>
    `${HEAD}${SERVICES}hostnames:\n${range(n)
      .map((i) => `  h${i}: { workload: links }`)
      .join('\n')}\n`,
  'hostnames naming undeclared workloads': (n) =>
    `${HEAD}${SERVICES}hostnames:\n${range(n)
      .map((i) => `  h${i}: { workload: missing${i} }`)
      .join('\n')}\n`,
  'every hostname key twice': (n) =>
    `${HEAD}${SERVICES}hostnames:\n${range(n)
      .map((i) => `  h${i}: { workload: links }\n  h${i}: { workload: links }`)
      .join('\n')}\n`,
  'latency rows naming undeclared networks, beside as many networks': (n) =>
    `${HEAD}${SERVICES}${networks(n)}latency:\n${range(n)
      .map((i) => `  missing${i}: { us-west-2: 10 }`)
      .join('\n')}\n`,
  'lab users in undeclared networks, beside as many networks': (n) =>
    `${HEAD}${SERVICES}${networks(n)}lab:\n  users:\n${range(n)
      .map((i) => `    missing${i}: { rps: 1 }`)
      .join('\n')}\n`,
  'regions that all overlap': (n) =>
    `${HEAD}${range(n)
      .map(
        (i) => `  r${i}: { cidr: 10.0.0.0/16, address: 127.1.${i >> 8}.${i & 255}, cloudRegion: eu-west-2 }`,
      )
      .join('\n')}\n${SERVICES}`,
  'one dependency cycle through every service': (n) =>
    `${HEAD}services:\n${range(n)
      .map((i) => `  s${i}: { in: home, dependsOn: [{ service: s${(i + 1) % n}, kind: hard }] }`)
      .join('\n')}\n`,
  'networks with a misspelt key': (n) =>
    `${HEAD}${SERVICES}${networks(n).replaceAll('location:', 'locaton:')}`,
  'networks with host bits set': (n) => `${HEAD}${SERVICES}${networks(n).replaceAll('.0/24', '.1/24')}`,
};

function measure(text: string) {
  const work: LintWork = { steps: 0 };
  const { diagnostics } = lintWorldText(text, 'big.yaml', { work });
  return {
    steps: work.steps,
    diagnostics: diagnostics.length,
    messageBytes: diagnostics.reduce((sum, d) => sum + d.message.length, 0),
  };
}

describe('lint is linear in the file and in its diagnostics', () => {
  for (const [name, world] of Object.entries(WORLDS)) {
    it(name, () => {
      const small = measure(world(250));
      const large = measure(world(1000));
      expect(large.steps).toBeLessThanOrEqual(5 * Math.max(small.steps, 1));
      expect(large.diagnostics).toBeLessThanOrEqual(5 * Math.max(small.diagnostics, 1));
      expect(large.messageBytes).toBeLessThanOrEqual(5 * Math.max(small.messageBytes, 1));
    });
  }

  it('reports a dependency chain 20 000 services deep instead of overflowing the stack', () => {
    const { diagnostics } = lintWorldText(WORLDS['one dependency cycle through every service']!(20_000));
    expect(diagnostics.map((d) => d.code)).toEqual(['dependency-cycle']);
  });
});
