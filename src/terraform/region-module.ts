// The reusable `region` module: one VPC with the region's CIDR, its subnets, an internet
// gateway, and a peering connection back to home with routes on both sides. It has no input
// that names another region, so no instance can route to one (topology rule 3).
import { attr, blank, block, comment, ex, type HclNode } from './render-hcl.js';
import { vpcNetwork } from './vpc-network.js';

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
      ...vpcNetwork({
        name: 'this',
        zones: 'available',
        cidr: ex('var.cidr'),
        subnetBase: 'var.cidr',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation
        vpcTags: ex('merge(local.tags, { Name = "meridian-${var.name}" })'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation
        subnetTags: ex('merge(local.tags, { Name = "meridian-${var.name}-${count.index}" })'),
        tags: ex('local.tags'),
        internetRoute: 'internet',
        internetRouteComment: 'Clients reach the region from the internet.',
      }),
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
