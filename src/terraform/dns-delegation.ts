// `--dns delegate`: the parent zone hands the world's zone to the Meridian GSLB hosts
// (`meridian dns`), with glue for name servers inside the zone.
import type { World } from '../world/index.js';
import { attr, block, comment, ex, type HclNode } from './render-hcl.js';
import { terraformName } from './terraform-name.js';

export function delegationVariables(): HclNode[] {
  return [
    block(
      'variable',
      ['parent_zone_id'],
      [
        attr(
          'description',
          'Route 53 hosted zone ID of the parent of the Meridian zone (where the delegation goes).',
        ),
        attr('type', ex('string')),
      ],
    ),
  ];
}

/** Absolute name of a world name server (`ns1` → `ns1.example.test`), without the final dot. */
export function nameserverFqdn(world: World, name: string): string {
  return name.endsWith('.') ? name.slice(0, -1).toLowerCase() : `${name.toLowerCase()}.${world.zone}`;
}

export function delegationFile(world: World): HclNode[] {
  const ns = world.dns.nameservers;
  const ttl = world.dns.ttlSeconds;
  const glue = ns.filter((n) => {
    const fqdn = nameserverFqdn(world, n.name);
    return fqdn === world.zone || fqdn.endsWith(`.${world.zone}`);
  });
  return [
    comment(
      `${world.zone} is answered by the Meridian GSLB (\`meridian dns\`) on ${ns.length} host${ns.length === 1 ? '' : 's'};\nthe parent zone only delegates to them. The GSLB hosts themselves are not provisioned here.`,
    ),
    block(
      'resource',
      ['aws_route53_record', 'delegation'],
      [
        attr('zone_id', ex('var.parent_zone_id')),
        attr('name', world.zone),
        attr('type', 'NS'),
        attr('ttl', ttl),
        attr(
          'records',
          ns.map((n) => `${nameserverFqdn(world, n.name)}.`),
        ),
      ],
    ),
    ...glue.flatMap((n) => [
      block(
        'resource',
        ['aws_route53_record', `glue_${terraformName(n.name.replace(/\.$/, ''))}`],
        [
          attr('zone_id', ex('var.parent_zone_id')),
          attr('name', nameserverFqdn(world, n.name)),
          attr('type', 'A'),
          attr('ttl', ttl),
          attr('records', [n.address]),
        ],
      ),
      ...(n.address6
        ? [
            block(
              'resource',
              ['aws_route53_record', `glue_${terraformName(n.name.replace(/\.$/, ''))}_aaaa`],
              [
                attr('zone_id', ex('var.parent_zone_id')),
                attr('name', nameserverFqdn(world, n.name)),
                attr('type', 'AAAA'),
                attr('ttl', ttl),
                attr('records', [n.address6]),
              ],
            ),
          ]
        : []),
    ]),
  ];
}
