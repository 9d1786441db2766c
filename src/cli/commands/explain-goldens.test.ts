// `meridian explain` for every example world × hostname × client × assumed health, compared with
// the outputs saved before the steering snapshot (issue 11): the refactor must not change them.
// UPDATE_GOLDEN=1 rewrites the files (only when the change of output is intended).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { POLICY_WORLD_YAML } from '../../policy/test-support/policy-world.js';
import type { World } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import { main } from '../main.js';

const here = dirname(fileURLToPath(import.meta.url));
const GOLDEN = join(here, 'explain-goldens');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const scratch = mkdtempSync(join(tmpdir(), 'meridian-explain-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const policyWorldFile = join(scratch, 'policy-world.yaml');
writeFileSync(policyWorldFile, POLICY_WORLD_YAML);

const WORLDS: { name: string; file: string }[] = [
  { name: 'minimal', file: 'examples/minimal.yaml' },
  { name: 'world', file: 'examples/world.yaml' },
  { name: 'fleet', file: 'examples/fleet.yaml' },
  { name: 'policy-world', file: policyWorldFile },
];

/** Every network by name, its first address, its CIDR as ECS, a shorter ECS, and unknown clients. */
function clientsOf(world: World): string[] {
  const out: string[] = [];
  for (const n of world.networks) {
    const first = n.cidrText.split('/')[0]!;
    out.push(n.name, first, n.cidrText);
    if (n.cidr.family === 4) out.push(`${first}/${Math.max(0, n.cidr.length - 8)}`);
  }
  out.push('8.8.8.8', '8.8.8.0/24', '0.0.0.0/0', '2001:db8:ffff::1', '2001:db8:ffff::/56');
  return out;
}

/** Assumed health: all up, the home region down, the first two drained/down, everything down. */
function healthCases(world: World): { label: string; args: string[] }[] {
  const names = world.regions.map((r) => r.name);
  const home = world.regions.find((r) => r.isHome)?.name ?? names[0]!;
  return [
    { label: 'all up', args: [] },
    { label: `${home} down`, args: ['--down', home] },
    { label: `${names[1]} drained, ${names[2]} down`, args: ['--drained', names[1]!, '--down', names[2]!] },
    { label: 'all down', args: ['--down', ...names] },
  ];
}

async function explain(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} });
  return `exit ${code}\n${[...out, ...err].join('\n')}`;
}

describe('meridian explain goldens', () => {
  it.each(WORLDS)('$name prints what it printed before', async ({ name, file }) => {
    const world = loadWorld(file);
    const sections: string[] = [];
    for (const h of healthCases(world)) {
      for (const hostname of world.hostnames) {
        for (const client of clientsOf(world)) {
          const args = ['explain', hostname.name, file, '--from', client, ...h.args];
          sections.push(`## ${h.label} · ${hostname.name} · ${client}\n${await explain(args)}`);
        }
      }
    }
    // one JSON rendering per hostname: the stages and the scope as data
    for (const hostname of world.hostnames) {
      const args = ['explain', hostname.name, file, '--from', world.networks[0]?.name ?? '8.8.8.8', '--json'];
      sections.push(`## json · ${hostname.name}\n${await explain(args)}`);
    }
    const text = `${sections.join('\n\n')}\n`;
    const path = join(GOLDEN, `${name}.txt`);
    if (UPDATE) writeFileSync(path, text);
    expect(existsSync(path), `${path} missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
    expect(text).toBe(readFileSync(path, 'utf8'));
  });
});
