// A VPC with its subnets, internet gateway, route table and default route: the network every
// region has, home included. The region module and the home VPC differ only in names and tags.
import { attr, blank, block, comment, ex, type HclNode, type HclValue } from './render-hcl.js';

export interface VpcNetworkSpec {
  /** Resource name of every resource (`this` in the region module, `home` at the root). */
  readonly name: string;
  /** Name of the `aws_availability_zones` data source. */
  readonly zones: string;
  /** The VPC's CIDR (a literal or an expression). */
  readonly cidr: HclValue;
  /** The expression the subnets are cut from (`var.cidr`, `aws_vpc.home.cidr_block`). */
  readonly subnetBase: string;
  readonly vpcTags: HclValue;
  /** Tags of the subnet with index `count.index`. */
  readonly subnetTags: HclValue;
  /** Tags of the gateway and the route table. */
  readonly tags: HclValue;
  /** Resource name of the default route, and a comment above it. */
  readonly internetRoute: string;
  readonly internetRouteComment?: string;
}

/** The data source and resources of one VPC network, in a stable order. */
export function vpcNetwork(s: VpcNetworkSpec): HclNode[] {
  const ref = (type: string, suffix = '') => ex(`${type}.${s.name}${suffix}.id`);
  return [
    block('data', ['aws_availability_zones', s.zones], [attr('state', 'available')]),
    block(
      'resource',
      ['aws_vpc', s.name],
      [
        attr('cidr_block', s.cidr),
        attr('enable_dns_support', true),
        attr('enable_dns_hostnames', true),
        attr('tags', s.vpcTags),
      ],
    ),
    block(
      'resource',
      ['aws_subnet', s.name],
      [
        attr('count', ex('var.subnet_count')),
        blank,
        attr('vpc_id', ref('aws_vpc')),
        attr('cidr_block', ex(`cidrsubnet(${s.subnetBase}, 4, count.index)`)),
        attr('availability_zone', ex(`data.aws_availability_zones.${s.zones}.names[count.index]`)),
        attr('tags', s.subnetTags),
      ],
    ),
    block(
      'resource',
      ['aws_internet_gateway', s.name],
      [attr('vpc_id', ref('aws_vpc')), attr('tags', s.tags)],
    ),
    block('resource', ['aws_route_table', s.name], [attr('vpc_id', ref('aws_vpc')), attr('tags', s.tags)]),
    block(
      'resource',
      ['aws_route_table_association', s.name],
      [
        attr('count', ex('var.subnet_count')),
        blank,
        attr('subnet_id', ref('aws_subnet', '[count.index]')),
        attr('route_table_id', ref('aws_route_table')),
      ],
    ),
    ...(s.internetRouteComment ? [comment(s.internetRouteComment)] : []),
    block(
      'resource',
      ['aws_route', s.internetRoute],
      [
        attr('route_table_id', ref('aws_route_table')),
        attr('destination_cidr_block', '0.0.0.0/0'),
        attr('gateway_id', ref('aws_internet_gateway')),
      ],
    ),
  ];
}
