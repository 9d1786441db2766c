// The reusable `region` module: one VPC with the region's CIDR, its subnets, an internet
// gateway, and a peering connection back to home with routes on both sides. It has no input
// that names another region, so no instance can route to one (topology rule 3).
import { attr, blank, block, comment, ex, type HclNode } from './render-hcl.js';

/** Files of `modules/region/`, path → nodes. */
export function regionModule(): Record<string, readonly HclNode[]> {
  return {
    'versions.tf': [
      block(
        'terraform',
        [],
        [
          block(
            'required_providers',
            [],
            [
              attr('aws', {
                source: 'hashicorp/aws',
                version: '>= 5.0',
                configuration_aliases: [ex('aws.home')],
              }),
            ],
          ),
        ],
      ),
    ],
    'variables.tf': [
      variable('name', 'string', 'Region name as in the world file, e.g. eu-west-2.'),
      variable('cidr', 'string', 'The region VPC CIDR; disjoint from every other region and from home.'),
      block(
        'variable',
        ['home'],
        [
          attr('description', 'Where home is: the only network this region may reach (topology rule 1).'),
          attr(
            'type',
            ex('object({ region = string, vpc_id = string, cidr = string, route_table_id = string })'),
          ),
        ],
      ),
      block(
        'variable',
        ['subnet_count'],
        [
          attr('description', 'Subnets (one per availability zone), carved from the VPC CIDR as /20s.'),
          attr('type', ex('number')),
          attr('default', 2),
        ],
      ),
      block(
        'variable',
        ['tags'],
        [
          attr('description', 'Tags added to every resource.'),
          attr('type', ex('map(string)')),
          attr('default', {}),
        ],
      ),
    ],
    'main.tf': [
      block('locals', [], [attr('tags', ex('merge(var.tags, { "meridian/region" = var.name })'))]),
      block('data', ['aws_availability_zones', 'available'], [attr('state', 'available')]),
      block(
        'resource',
        ['aws_vpc', 'this'],
        [
          attr('cidr_block', ex('var.cidr')),
          attr('enable_dns_support', true),
          attr('enable_dns_hostnames', true),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation
          attr('tags', ex('merge(local.tags, { Name = "meridian-${var.name}" })')),
        ],
      ),
      block(
        'resource',
        ['aws_subnet', 'this'],
        [
          attr('count', ex('var.subnet_count')),
          blank,
          attr('vpc_id', ex('aws_vpc.this.id')),
          attr('cidr_block', ex('cidrsubnet(var.cidr, 4, count.index)')),
          attr('availability_zone', ex('data.aws_availability_zones.available.names[count.index]')),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation
          attr('tags', ex('merge(local.tags, { Name = "meridian-${var.name}-${count.index}" })')),
        ],
      ),
      block(
        'resource',
        ['aws_internet_gateway', 'this'],
        [attr('vpc_id', ex('aws_vpc.this.id')), attr('tags', ex('local.tags'))],
      ),
      block(
        'resource',
        ['aws_route_table', 'this'],
        [attr('vpc_id', ex('aws_vpc.this.id')), attr('tags', ex('local.tags'))],
      ),
      block(
        'resource',
        ['aws_route_table_association', 'this'],
        [
          attr('count', ex('var.subnet_count')),
          blank,
          attr('subnet_id', ex('aws_subnet.this[count.index].id')),
          attr('route_table_id', ex('aws_route_table.this.id')),
        ],
      ),
      comment('Clients reach the region from the internet.'),
      block(
        'resource',
        ['aws_route', 'internet'],
        [
          attr('route_table_id', ex('aws_route_table.this.id')),
          attr('destination_cidr_block', '0.0.0.0/0'),
          attr('gateway_id', ex('aws_internet_gateway.this.id')),
        ],
      ),
      comment(
        'The one private edge: this region to home (config polls, outbox flushes). There is no\nroute to any other region: regions never call each other (topology rule 3).',
      ),
      block(
        'resource',
        ['aws_vpc_peering_connection', 'home'],
        [
          attr('vpc_id', ex('aws_vpc.this.id')),
          attr('peer_vpc_id', ex('var.home.vpc_id')),
          attr('peer_region', ex('var.home.region')),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation
          attr('tags', ex('merge(local.tags, { Name = "meridian-${var.name}-to-home" })')),
        ],
      ),
      block(
        'resource',
        ['aws_vpc_peering_connection_accepter', 'home'],
        [
          attr('provider', ex('aws.home')),
          blank,
          attr('vpc_peering_connection_id', ex('aws_vpc_peering_connection.home.id')),
          attr('auto_accept', true),
          attr('tags', ex('local.tags')),
        ],
      ),
      block(
        'resource',
        ['aws_route', 'to_home'],
        [
          attr('route_table_id', ex('aws_route_table.this.id')),
          attr('destination_cidr_block', ex('var.home.cidr')),
          attr('vpc_peering_connection_id', ex('aws_vpc_peering_connection.home.id')),
        ],
      ),
      comment(
        'Return path for connections the region opens. Home never opens one (topology rule 2):\nnothing at home is given a region address.',
      ),
      block(
        'resource',
        ['aws_route', 'home_to_region'],
        [
          attr('provider', ex('aws.home')),
          blank,
          attr('route_table_id', ex('var.home.route_table_id')),
          attr('destination_cidr_block', ex('var.cidr')),
          attr('vpc_peering_connection_id', ex('aws_vpc_peering_connection_accepter.home.id')),
        ],
      ),
    ],
    'outputs.tf': [
      output('vpc_id', 'aws_vpc.this.id'),
      output('subnet_ids', 'aws_subnet.this[*].id'),
      output('route_table_id', 'aws_route_table.this.id'),
      output('peering_connection_id', 'aws_vpc_peering_connection.home.id'),
    ],
  };
}

function variable(name: string, type: string, description: string): HclNode {
  return block('variable', [name], [attr('description', description), attr('type', ex(type))]);
}

function output(name: string, value: string): HclNode {
  return block('output', [name], [attr('value', ex(value))]);
}
