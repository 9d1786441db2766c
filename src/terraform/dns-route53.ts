// `--dns route53`: the zone in Route 53 with latency records, a health check on each region's
// health path, failover records, and weighted records for an active rollout. What Route 53
// cannot express is returned beside the nodes, for the README and comments.
import type { Hostname, Region, World } from '../world/index.js';
import { attr, blank, block, comment, ex, type HclNode } from './render-hcl.js';
import { awsRegionOf } from './root-module.js';
import { route53Weights } from './route53-weights.js';
import { terraformName } from './terraform-name.js';

export interface Route53Export {
  readonly nodes: readonly HclNode[];
  /** Per-world findings: where this world asks for more than Route 53 can do. */
  readonly gaps: readonly string[];
}

const ZONE = 'aws_route53_zone.this.zone_id';

export function route53File(world: World): Route53Export {
  const gaps: string[] = [];
  const byName = new Map(world.regions.map((r) => [r.name, r]));
  const checked = world.regions.filter((r) =>
    world.hostnames.some((h) => h.policy !== 'home' && h.candidates.includes(r.name)),
  );
  const nodes: HclNode[] = [
    block('resource', ['aws_route53_zone', 'this'], [attr('name', world.zone), attr('tags', ex('var.tags'))]),
  ];
  const intervalSeconds = (r: Region) => (r.health.intervalMs <= 10_000 ? 10 : 30);
  for (const r of checked) {
    const h = r.health;
    const threshold = Math.min(10, Math.max(1, h.fall));
    if (h.intervalMs !== intervalSeconds(r) * 1000 || h.rise !== h.fall || threshold !== h.fall) {
      gaps.push(
        `${r.name}: the world probes ${h.path} every ${h.intervalMs} ms (timeout ${h.timeoutMs} ms, rise ${h.rise}, fall ${h.fall}); Route 53 checks every ${intervalSeconds(r)} s with one threshold of ${threshold} for both directions`,
      );
    }
    nodes.push(
      comment(`World: every ${h.intervalMs} ms, timeout ${h.timeoutMs} ms, rise ${h.rise}, fall ${h.fall}.`),
      block(
        'resource',
        ['aws_route53_health_check', terraformName(r.name)],
        [
          attr('ip_address', r.address),
          attr('port', r.port),
          attr('type', 'HTTP'),
          attr('resource_path', h.path),
          attr('request_interval', intervalSeconds(r)),
          attr('failure_threshold', threshold),
          attr('tags', ex(`merge(var.tags, { Name = "meridian-${r.name}" })`)),
        ],
      ),
    );
  }
  for (const h of world.hostnames) {
    const regions = h.candidates.map((c) => byName.get(c)!).filter(Boolean);
    for (const [type, address] of [
      ['A', (r: Region) => r.address],
      ['AAAA', (r: Region) => r.address6],
    ] as const) {
      const serving = regions.filter((r) => address(r) !== undefined);
      if (serving.length === 0) continue;
      const suffix = type === 'AAAA' ? '_aaaa' : '';
      nodes.push(...hostnameRecords(world, h, serving, type, suffix, address as (r: Region) => string, gaps));
    }
  }
  return { nodes, gaps: [...new Set(gaps)] };
}

function hostnameRecords(
  world: World,
  h: Hostname,
  regions: readonly Region[],
  type: 'A' | 'AAAA',
  suffix: string,
  address: (r: Region) => string,
  gaps: string[],
): HclNode[] {
  const id = terraformName(h.name) + suffix;
  const base = (name: string, extra: HclNode[] = []) => [
    attr('zone_id', ex(ZONE)),
    attr('name', name),
    attr('type', type),
    ...extra,
  ];
  if (h.policy === 'home') {
    const home = world.regions.find((r) => r.isHome)!;
    return [
      comment(`${h.fqdn}: policy home.`),
      block(
        'resource',
        ['aws_route53_record', id],
        [...base(h.fqdn, [attr('ttl', h.ttlSeconds), attr('records', [address(home)])])],
      ),
    ];
  }
  if (h.answers > 1) {
    gaps.push(`${h.fqdn}: answers ${h.answers} regions; Route 53 latency and failover records answer one`);
  }
  if (h.whenAllDown !== 'all') {
    gaps.push(
      `${h.fqdn}: whenAllDown ${h.whenAllDown}; when every health check fails Route 53 answers as if all were healthy`,
    );
  }
  if (h.policy === 'failover') {
    if (regions.length > 2) {
      gaps.push(
        `${h.fqdn}: failover over ${regions.length} regions; Route 53 has PRIMARY and SECONDARY only (${regions
          .slice(2)
          .map((r) => r.name)
          .join(', ')} left out)`,
      );
    }
    return [
      comment(`${h.fqdn}: policy failover (${regions.map((r) => r.name).join(' > ')}).`),
      ...regions
        .slice(0, 2)
        .map((r, i) =>
          block(
            'resource',
            ['aws_route53_record', `${id}_${terraformName(r.name)}`],
            [
              ...base(h.fqdn, [
                attr('ttl', h.ttlSeconds),
                attr('set_identifier', r.name),
                attr('records', [address(r)]),
                attr('health_check_id', ex(`aws_route53_health_check.${terraformName(r.name)}.id`)),
              ]),
              blank,
              block('failover_routing_policy', [], [attr('type', i === 0 ? 'PRIMARY' : 'SECONDARY')]),
            ],
          ),
        ),
    ];
  }
  const latency = (name: string, idPrefix: string, set: readonly Region[]) =>
    set.map((r) =>
      block(
        'resource',
        ['aws_route53_record', `${idPrefix}_${terraformName(r.name)}`],
        [
          ...base(name, [
            attr('ttl', h.ttlSeconds),
            attr('set_identifier', r.name),
            attr('records', [address(r)]),
            attr('health_check_id', ex(`aws_route53_health_check.${terraformName(r.name)}.id`)),
          ]),
          blank,
          block('latency_routing_policy', [], [attr('region', awsRegionOf(r))]),
        ],
      ),
    );
  const rollout = h.rollout;
  if (!rollout || !regions.some((r) => r.name === rollout.region)) {
    return [comment(`${h.fqdn}: policy latency.`), ...latency(h.fqdn, id, regions)];
  }
  const w = route53Weights(rollout.basisPoints);
  const requested = rollout.basisPoints / 100;
  const effective = w.effectiveBasisPoints / 100;
  if (w.effectiveBasisPoints !== rollout.basisPoints) {
    gaps.push(
      `${h.fqdn}: rollout of ${rollout.region} at ${requested} % becomes weights ${w.including}:${w.excluding} = ${effective} % (Route 53 weights are integers 0-255)`,
    );
  }
  if (rollout.sticky) {
    gaps.push(
      `${h.fqdn}: the rollout is sticky per client subnet in Meridian; Route 53 picks a weighted record per query`,
    );
  }
  const inName = `_in.${h.fqdn}`;
  const outName = `_out.${h.fqdn}`;
  const without = regions.filter((r) => r.name !== rollout.region);
  const weighted = (side: 'in' | 'out', weight: number, firstTarget: string) =>
    block(
      'resource',
      ['aws_route53_record', `${id}_${side}`],
      [
        ...base(h.fqdn, [
          attr('set_identifier', side === 'in' ? `with-${rollout.region}` : `without-${rollout.region}`),
        ]),
        blank,
        block('weighted_routing_policy', [], [attr('weight', weight)]),
        block(
          'alias',
          [],
          [
            attr('zone_id', ex(ZONE)),
            attr('name', ex(`aws_route53_record.${firstTarget}.name`)),
            attr('evaluate_target_health', true),
          ],
        ),
      ],
    );
  return [
    comment(
      `${h.fqdn}: policy latency with a rollout of ${rollout.region} at ${requested} %.\nWeights ${w.including}:${w.excluding} give ${effective} % of queries the set that includes it.`,
    ),
    weighted('in', w.including, `${id}_in_${terraformName(regions[0]!.name)}`),
    weighted('out', w.excluding, `${id}_out_${terraformName(without[0]?.name ?? regions[0]!.name)}`),
    ...latency(inName, `${id}_in`, regions),
    ...latency(outName, `${id}_out`, without.length > 0 ? without : regions),
  ];
}
