// Generates the large worlds of the reload benchmark: a valid one with N networks (1.5 MB at
// 20 000) and broken ones whose every entry is an error of one kind (lint's worst case).

const REGIONS = ['us-west-2', 'eu-west-2', 'ap-southeast-1', 'af-south-1'] as const;

function header(): string[] {
  return [
    'zone: reload.test',
    'home: us-west-2',
    'regions:',
    ...REGIONS.map((r, i) => `  ${r}: { cidr: 10.${i + 1}0.0.0/16, address: 127.0.${i + 1}.1 }`),
    'hostnames:',
    '  links: { workload: links, policy: latency, ttlSeconds: 30 }',
    '  api: { workload: relay, policy: home }',
    'services:',
    '  links: { in: all, dependsOn: [{ service: config, kind: soft }] }',
    '  config: { in: home, owns: [config-db] }',
    '  relay: { in: home, owns: [relay-db] }',
  ];
}

/** The `i`-th /24 of 100.64.0.0/10 and beyond (distinct for i < 2^16). */
function cidrOf(i: number): string {
  return `${100 + (i >> 14)}.${64 + ((i >> 8) & 63)}.${i & 255}.0/24`;
}

function networkLine(i: number, cidr = cidrOf(i)): string {
  const lat = ((i * 37) % 170) - 85;
  const lon = ((i * 53) % 350) - 175;
  return `  - { name: n${String(i).padStart(5, '0')}, cidr: ${cidr}, location: { lat: ${lat}, lon: ${lon} } }`;
}

/** A lint-clean world with `networks` networks (20 000 → about 1.5 MB). */
export function generateValidWorld(networks: number, variant = 0): string {
  const lines = header();
  // the variant changes one latency figure, so two generated files differ in hash and answers
  lines.push('networks:');
  for (let i = 0; i < networks; i++) lines.push(networkLine(i));
  lines.push('latency:', `  n00000: { us-west-2: ${10 + variant}, eu-west-2: ${200 - variant} }`);
  return `${lines.join('\n')}\n`;
}

export type BrokenKind =
  /** every network's CIDR has host bits set (cidr-invalid, one per network) */
  | 'cidr'
  /** every network has a misspelt key (schema-unknown-key, one per network) */
  | 'schema'
  /** every latency row names a network that is not declared (unknown-reference) */
  | 'reference'
  /** every hostname names a workload that is not declared (unknown-reference, in a mapping) */
  | 'hostnames'
  /** every region overlaps the others (cidr-overlap) */
  | 'overlap';

/** A world with `entries` errors of one kind, next to `networks` valid networks. */
export function generateBrokenWorld(kind: BrokenKind, entries: number, networks = 0): string {
  const lines = header();
  const at = (line: string) => lines.indexOf(line) + 1;
  if (kind === 'hostnames') {
    const extra: string[] = [];
    for (let i = 0; i < entries; i++)
      extra.push(`  h-${String(i).padStart(5, '0')}: { workload: missing-${i} }`);
    lines.splice(at('hostnames:'), 0, ...extra);
  }
  if (kind === 'overlap') {
    const extra: string[] = [];
    for (let i = 0; i < entries; i++)
      extra.push(
        `  r-${String(i).padStart(5, '0')}: { cidr: 10.0.${i & 255}.0/24, address: 127.1.${(i >> 8) & 255}.${i & 255}, cloudRegion: eu-west-2 }`,
      );
    lines.splice(at('regions:'), 0, ...extra);
  }
  const nets: string[] = [];
  for (let i = 0; i < networks; i++) nets.push(networkLine(i));
  if (kind === 'cidr') for (let i = 0; i < entries; i++) nets.push(networkLine(networks + i, '10.0.0.1/24'));
  if (kind === 'schema')
    for (let i = 0; i < entries; i++) nets.push(networkLine(networks + i).replace('location:', 'locaton:'));
  lines.push(nets.length > 0 ? 'networks:' : 'networks: []', ...nets);
  if (kind === 'reference') {
    lines.push('latency:');
    for (let i = 0; i < entries; i++) lines.push(`  missing-${i}: { us-west-2: 10 }`);
  }
  return `${lines.join('\n')}\n`;
}
