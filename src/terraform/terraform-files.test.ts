// Golden files, determinism, `terraform fmt`, and the structure Terraform and the AWS provider
// expect (checked on the HCL model, since providers cannot be downloaded here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCloudRegion } from '../geo/index.js';
import type { World } from '../world/index.js';
import { loadWorld } from '../world/io/index.js';
import { writeTerraformFiles } from './io/write-terraform-files.js';
import type { HclBlock, HclNode, HclValue } from './render-hcl.js';
import { route53Weights } from './route53-weights.js';
import { type DnsMode, terraformFiles, terraformTree } from './terraform-files.js';

const here = (p: string) => new URL(p, import.meta.url).pathname;
const CASES: readonly { name: string; world: string; dns: DnsMode }[] = [
  { name: 'minimal-delegate', world: here('../../examples/minimal.yaml'), dns: 'delegate' },
  { name: 'world-route53', world: here('../../examples/world.yaml'), dns: 'route53' },
  { name: 'rollout-delegate', world: here('testdata/rollout.yaml'), dns: 'delegate' },
  { name: 'rollout-route53', world: here('testdata/rollout.yaml'), dns: 'route53' },
];
const GOLDEN = here('testdata/golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const scratch = mkdtempSync(join(tmpdir(), 'meridian-tf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
const tfEnv = {
  ...process.env,
  TF_CLI_CONFIG_FILE: '/dev/null',
  TF_IN_AUTOMATION: '1',
  CHECKPOINT_DISABLE: '1',
};

describe.each(CASES)('export $name', ({ name, world: worldPath, dns }) => {
  const world = loadWorld(worldPath);
  const result = terraformFiles(world, { dns });
  const dir = join(GOLDEN, name);

  it('matches the golden files byte for byte', () => {
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      writeTerraformFiles(dir, result.files);
    }
    const golden = listFiles(dir)
      .map((p) => relative(dir, p).split('\\').join('/'))
      .sort();
    expect(result.files.map((f) => f.path)).toEqual(golden);
    for (const f of result.files) expect(f.text, f.path).toBe(readFileSync(join(dir, f.path), 'utf8'));
  });

  it('is deterministic', () => {
    expect(terraformFiles(loadWorld(worldPath), { dns })).toEqual(result);
  });

  it.runIf(terraform)(
    'is `terraform fmt` clean and parses with its modules (terraform get + providers)',
    () => {
      const out = join(scratch, name);
      writeTerraformFiles(out, result.files);
      const fmt = spawnSync('terraform', ['fmt', '-check', '-diff', '-recursive', out], {
        encoding: 'utf8',
        env: tfEnv,
      });
      expect(fmt.stdout).toBe('');
      expect(fmt.status).toBe(0);
      const get = spawnSync('terraform', [`-chdir=${out}`, 'get'], {
        encoding: 'utf8',
        env: tfEnv,
        timeout: 60_000,
      });
      expect(get.status, get.stderr).toBe(0);
      const providers = spawnSync('terraform', [`-chdir=${out}`, 'providers'], {
        encoding: 'utf8',
        env: tfEnv,
        timeout: 60_000,
      });
      expect(providers.status, providers.stderr).toBe(0);
      for (const r of world.regions.filter((x) => !x.isHome)) {
        expect(providers.stdout).toContain(`module.region_${r.name.replace(/-/g, '_')}`);
      }
    },
  );

  it('has the structure Terraform and the AWS provider expect', () => {
    const { tree } = terraformTree(world, { dns });
    expect(checkStructure(tree)).toEqual([]);
  });

  it('gives each region other than home one module instance with its name and CIDR, and no region route to another', () => {
    const { tree } = terraformTree(world, { dns });
    const modules = blocksOf(tree['regions.tf']!).filter((b) => b.type === 'module');
    const others = world.regions.filter((r) => !r.isHome);
    expect(modules.map((m) => [attrOf(m, 'name'), attrOf(m, 'cidr')])).toEqual(
      others.map((r) => [r.name, r.cidrText]),
    );
    for (const m of modules) expect(JSON.stringify(m.body)).not.toContain('module.');
    const routes = blocksOf(tree['modules/region/main.tf']!).filter(
      (b) => b.type === 'resource' && b.labels[0] === 'aws_route',
    );
    const destinations = routes.map((r) => JSON.stringify(attrOf(r, 'destination_cidr_block'))).sort();
    expect(destinations).toEqual(['"0.0.0.0/0"', '{"expr":"var.cidr"}', '{"expr":"var.home.cidr"}']);
    const inputs = blocksOf(tree['modules/region/variables.tf']!).map((b) => b.labels[0]);
    expect(inputs).toEqual(['name', 'cidr', 'home', 'subnet_count', 'tags']);
  });
});

describe('export details', () => {
  const rollout = loadWorld(here('testdata/rollout.yaml'));

  it('says in the README what Route 53 cannot express, including this world’s rollout', () => {
    const r = terraformFiles(rollout, { dns: 'route53' });
    const readme = r.files.find((f) => f.path === 'README.md')!.text;
    expect(readme).toContain('## What Route 53 cannot express');
    expect(readme).toContain('smallest share above zero is 1/256');
    expect(readme).toContain('ECS scope');
    expect(readme).toContain('rollout of paris at 0.1 % becomes weights 0:255 = 0 %');
    expect(readme).toContain('failover over 3 regions');
    expect(new Set(r.gaps).size).toBe(r.gaps.length);
  });

  it('delegates to the GSLB hosts with glue only for name servers inside the zone', () => {
    const { tree } = terraformTree(rollout, { dns: 'delegate' });
    const records = blocksOf(tree['dns.tf']!).map((b) => [
      b.labels[1],
      attrOf(b, 'type'),
      attrOf(b, 'records'),
    ]);
    expect(records).toEqual([
      ['delegation', 'NS', ['ns1.example.test.', 'gslb.example.net.']],
      ['glue_ns1', 'A', ['192.0.2.53']],
      ['glue_ns1_aaaa', 'AAAA', ['2001:db8::53']],
    ]);
  });

  it('approximates rollout shares with Route 53 weights', () => {
    expect(route53Weights(10)).toEqual({ including: 0, excluding: 255, effectiveBasisPoints: 0 });
    expect(route53Weights(39)).toMatchObject({ including: 1, excluding: 255 });
    expect(route53Weights(100)).toMatchObject({ effectiveBasisPoints: 100 });
    expect(route53Weights(5000)).toEqual({ including: 255, excluding: 255, effectiveBasisPoints: 5000 });
    expect(route53Weights(10_000)).toEqual({ including: 255, excluding: 0, effectiveBasisPoints: 10_000 });
  });

  it('adds a region as one more module instance and changes nothing in the module', async () => {
    const { lintWorldText } = await import('../world/index.js');
    const text = readFileSync(here('../../examples/minimal.yaml'), 'utf8');
    const grown = text.replace(
      '  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }\n',
      '  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }\n  ap-southeast-2: { cidr: 10.40.0.0/16, address: 127.0.4.1 }\n',
    );
    expect(grown).not.toBe(text);
    const before = terraformTree(lintWorldText(text).world!, { dns: 'delegate' }).tree;
    const after = terraformTree(lintWorldText(grown).world!, { dns: 'delegate' }).tree;
    for (const path of Object.keys(before).filter((p) => p.startsWith('modules/'))) {
      expect(after[path]).toEqual(before[path]);
    }
    const modules = (t: typeof before) => blocksOf(t['regions.tf']!).filter((b) => b.type === 'module');
    expect(modules(after).slice(0, -1)).toEqual(modules(before));
    expect(modules(after).at(-1)!.labels).toEqual(['region_ap_southeast_2']);
    expect(attrOf(modules(after).at(-1)!, 'cidr')).toBe('10.40.0.0/16');
  });

  it('refuses a region with no AWS region', async () => {
    const { lintWorldText } = await import('../world/index.js');
    const w = lintWorldText(
      'zone: example.test\nhome: lab-a\nregions:\n  lab-a: { cidr: 10.1.0.0/16, address: 127.0.1.1, location: { lat: 1, lon: 2 } }\n',
    ).world as World;
    expect(() => terraformFiles(w, { dns: 'delegate' })).toThrow(
      /regions\.lab-a: "lab-a" is not an AWS region/,
    );
  });
});

// ---- structure checks on the HCL model ----

type Schema = { required: string[]; optional: string[]; blocks?: Record<string, string[]> };
const META = ['count', 'provider', 'depends_on', 'for_each', 'lifecycle'];
const AWS: Record<string, Schema> = {
  aws_vpc: { required: ['cidr_block'], optional: ['enable_dns_support', 'enable_dns_hostnames', 'tags'] },
  aws_subnet: { required: ['vpc_id', 'cidr_block'], optional: ['availability_zone', 'tags'] },
  aws_internet_gateway: { required: [], optional: ['vpc_id', 'tags'] },
  aws_route_table: { required: ['vpc_id'], optional: ['tags'] },
  aws_route_table_association: { required: ['route_table_id'], optional: ['subnet_id', 'gateway_id'] },
  aws_route: {
    required: ['route_table_id', 'destination_cidr_block'],
    optional: ['gateway_id', 'vpc_peering_connection_id'],
  },
  aws_vpc_peering_connection: {
    required: ['vpc_id', 'peer_vpc_id'],
    optional: ['peer_region', 'auto_accept', 'tags'],
  },
  aws_vpc_peering_connection_accepter: {
    required: ['vpc_peering_connection_id'],
    optional: ['auto_accept', 'tags'],
  },
  aws_route53_zone: { required: ['name'], optional: ['tags', 'comment'] },
  aws_route53_health_check: {
    required: ['type'],
    optional: ['ip_address', 'port', 'resource_path', 'request_interval', 'failure_threshold', 'tags'],
  },
  aws_route53_record: {
    required: ['zone_id', 'name', 'type'],
    optional: ['ttl', 'records', 'set_identifier', 'health_check_id'],
    blocks: {
      latency_routing_policy: ['region'],
      weighted_routing_policy: ['weight'],
      failover_routing_policy: ['type'],
      alias: ['name', 'zone_id', 'evaluate_target_health'],
    },
  },
};
const DATA: Record<string, Schema> = { aws_availability_zones: { required: [], optional: ['state'] } };

function blocksOf(nodes: readonly HclNode[]): HclBlock[] {
  return nodes.filter((n): n is HclBlock => n.kind === 'block');
}

function attrOf(b: HclBlock, name: string): HclValue | undefined {
  for (const n of b.body) if (n.kind === 'attribute' && n.name === name) return n.value;
  return undefined;
}

function expressions(v: HclValue | undefined, out: string[] = []): string[] {
  if (v === null || v === undefined || typeof v !== 'object') {
    if (typeof v === 'string') for (const m of v.matchAll(/\$\{([^}]*)\}/g)) out.push(m[1]!);
    return out;
  }
  if (Array.isArray(v)) for (const x of v) expressions(x, out);
  else if ('expr' in v && typeof v.expr === 'string') out.push(v.expr);
  else for (const x of Object.values(v as Record<string, HclValue>)) expressions(x, out);
  return out;
}

function checkStructure(tree: Record<string, readonly HclNode[]>): string[] {
  const problems: string[] = [];
  const dirs = new Map<string, HclBlock[]>();
  for (const [path, nodes] of Object.entries(tree)) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    dirs.set(dir, [...(dirs.get(dir) ?? []), ...blocksOf(nodes)]);
  }
  const outputsOf = (dir: string) =>
    new Set((dirs.get(dir) ?? []).filter((b) => b.type === 'output').map((b) => b.labels[0]));
  const variablesOf = (dir: string) => (dirs.get(dir) ?? []).filter((b) => b.type === 'variable');
  for (const [dir, blocks] of dirs) {
    const declared = new Set<string>();
    const providers = new Set<string>(['aws']);
    for (const b of blocks) {
      if (b.type === 'resource') declared.add(`${b.labels[0]}.${b.labels[1]}`);
      if (b.type === 'data') declared.add(`data.${b.labels[0]}.${b.labels[1]}`);
      if (b.type === 'variable') declared.add(`var.${b.labels[0]}`);
      if (b.type === 'module') declared.add(`module.${b.labels[0]}`);
      if (b.type === 'locals')
        for (const n of b.body) if (n.kind === 'attribute') declared.add(`local.${n.name}`);
      if (b.type === 'provider') {
        const alias = attrOf(b, 'alias');
        if (typeof alias === 'string') providers.add(`aws.${alias}`);
      }
      if (b.type === 'terraform') {
        const rp = blocksOf(b.body).find((x) => x.type === 'required_providers');
        const aws = rp && attrOf(rp, 'aws');
        for (const e of expressions((aws as Record<string, HclValue> | undefined)?.configuration_aliases)) {
          providers.add(e);
        }
      }
    }
    const where = (b: HclBlock) => `${dir}: ${b.type} ${b.labels.join('.')}`;
    for (const b of blocks) {
      const exprs = [...b.body, ...blocksOf(b.body).flatMap((x) => x.body)].flatMap((n) =>
        n.kind === 'attribute' && n.name !== 'provider' && n.name !== 'providers' ? expressions(n.value) : [],
      );
      for (const e of exprs) {
        for (const m of e.matchAll(
          /\b(?:(var|local|module)\.([a-z_][a-z0-9_-]*)(?:\.([a-z_][a-z0-9_-]*))?|data\.([a-z0-9_]+)\.([a-z0-9_-]+)|(aws_[a-z0-9_]+)\.([a-z_][a-z0-9_-]*))/g,
        )) {
          const ref = m[1] ? `${m[1]}.${m[2]}` : m[4] ? `data.${m[4]}.${m[5]}` : `${m[6]}.${m[7]}`;
          if (!declared.has(ref)) problems.push(`${where(b)}: reference to undeclared ${ref}`);
          if (m[1] === 'module' && m[3]) {
            const call = blocks.find((x) => x.type === 'module' && x.labels[0] === m[2]);
            const source = call && attrOf(call, 'source');
            const target = typeof source === 'string' ? source.replace(/^\.\//, '') : '';
            if (!outputsOf(target).has(m[3]))
              problems.push(`${where(b)}: module ${m[2]} has no output ${m[3]}`);
          }
        }
      }
      const provider = attrOf(b, 'provider');
      if (provider !== undefined) {
        for (const e of expressions(provider))
          if (!providers.has(e)) problems.push(`${where(b)}: provider ${e}?`);
      }
      if (b.type === 'resource' || b.type === 'data') {
        const schema = (b.type === 'resource' ? AWS : DATA)[b.labels[0]!];
        if (!schema) {
          problems.push(`${where(b)}: type not in the checked subset of the AWS provider`);
          continue;
        }
        const names = b.body.flatMap((n) => (n.kind === 'attribute' ? [n.name] : []));
        for (const r of schema.required) if (!names.includes(r)) problems.push(`${where(b)}: missing ${r}`);
        for (const n of names) {
          if (!schema.required.includes(n) && !schema.optional.includes(n) && !META.includes(n)) {
            problems.push(`${where(b)}: unknown argument ${n}`);
          }
        }
        for (const nb of blocksOf(b.body)) {
          const required = schema.blocks?.[nb.type];
          if (!required) problems.push(`${where(b)}: unknown block ${nb.type}`);
          for (const r of required ?? [])
            if (attrOf(nb, r) === undefined) problems.push(`${where(b)}: ${nb.type}.${r}?`);
        }
        problems.push(...route53Rules(b, where(b)));
      }
      if (b.type === 'module') {
        const source = attrOf(b, 'source');
        const target = typeof source === 'string' ? source.replace(/^\.\//, '') : '';
        const vars = variablesOf(target);
        if (vars.length === 0) problems.push(`${where(b)}: no module at ${String(source)}`);
        const passed = b.body.flatMap((n) => (n.kind === 'attribute' ? [n.name] : []));
        for (const v of vars) {
          if (attrOf(v, 'default') === undefined && !passed.includes(v.labels[0]!)) {
            problems.push(`${where(b)}: required variable ${v.labels[0]} not passed`);
          }
        }
        for (const p of passed) {
          if (!['source', 'providers', ...META].includes(p) && !vars.some((v) => v.labels[0] === p)) {
            problems.push(`${where(b)}: module has no variable ${p}`);
          }
        }
        for (const [key, value] of Object.entries(
          (attrOf(b, 'providers') ?? {}) as Record<string, HclValue>,
        )) {
          for (const e of expressions(value))
            if (!providers.has(e)) problems.push(`${where(b)}: provider ${e}?`);
          const inner = new Set(['aws']);
          for (const tb of (dirs.get(target) ?? []).filter((x) => x.type === 'terraform')) {
            const rp = blocksOf(tb.body).find((x) => x.type === 'required_providers');
            const aws = rp && attrOf(rp, 'aws');
            for (const e of expressions(
              (aws as Record<string, HclValue> | undefined)?.configuration_aliases,
            )) {
              inner.add(e);
            }
          }
          if (!inner.has(key)) problems.push(`${where(b)}: module declares no provider ${key}`);
        }
      }
    }
  }
  return problems;
}

function route53Rules(b: HclBlock, where: string): string[] {
  const problems: string[] = [];
  if (b.labels[0] === 'aws_route53_health_check') {
    const interval = attrOf(b, 'request_interval');
    const threshold = attrOf(b, 'failure_threshold') as number;
    if (interval !== 10 && interval !== 30) problems.push(`${where}: request_interval must be 10 or 30`);
    if (!(threshold >= 1 && threshold <= 10)) problems.push(`${where}: failure_threshold must be 1-10`);
  }
  if (b.labels[0] === 'aws_route53_record') {
    const nested = blocksOf(b.body);
    const alias = nested.some((n) => n.type === 'alias');
    const hasRecords = attrOf(b, 'records') !== undefined && attrOf(b, 'ttl') !== undefined;
    if (alias === hasRecords) problems.push(`${where}: needs either alias or ttl + records`);
    const policy = nested.find((n) => n.type.endsWith('_routing_policy'));
    if (policy && attrOf(b, 'set_identifier') === undefined)
      problems.push(`${where}: routing policy needs set_identifier`);
    if (policy?.type === 'weighted_routing_policy') {
      const w = attrOf(policy, 'weight') as number;
      if (!(Number.isInteger(w) && w >= 0 && w <= 255)) problems.push(`${where}: weight must be 0-255`);
    }
    if (policy?.type === 'latency_routing_policy' && !findCloudRegion(String(attrOf(policy, 'region')))) {
      problems.push(`${where}: latency region is not an AWS region`);
    }
    if (
      policy?.type === 'failover_routing_policy' &&
      !['PRIMARY', 'SECONDARY'].includes(String(attrOf(policy, 'type')))
    ) {
      problems.push(`${where}: failover type`);
    }
  }
  return problems;
}
