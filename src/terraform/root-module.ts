// The root module: providers (one per AWS region), the home VPC, one `region` module instance
// per other region (name and CIDR are all that differ), and outputs.
import { MeridianError } from '../core/index.js';
import { findCloudRegion } from '../geo/index.js';
import type { Region, World } from '../world/index.js';
import { attr, blank, block, comment, ex, type HclNode } from './render-hcl.js';
import { terraformName } from './terraform-name.js';
import { vpcNetwork } from './vpc-network.js';

/** The AWS region a world region is provisioned in; throws when the world does not say. */
export function awsRegionOf(region: Region): string {
  const name = region.cloudRegion ?? region.name;
  if (!findCloudRegion(name)) {
    throw new MeridianError(
      'MERIDIAN_TERRAFORM_NO_AWS_REGION',
      `regions.${region.name}: "${name}" is not an AWS region; set \`cloudRegion\` (e.g. eu-west-2) to export Terraform`,
    );
  }
  return name;
}

/** The provider reference for an AWS region: home's is the default provider. */
export function providerRef(world: World, awsRegion: string): string {
  const home = world.regions.find((r) => r.isHome)!;
  return awsRegion === awsRegionOf(home) ? 'aws' : `aws.${terraformName(awsRegion)}`;
}

export function rootModule(
  world: World,
  dnsVariables: readonly HclNode[],
): Record<string, readonly HclNode[]> {
  const home = world.regions.find((r) => r.isHome)!;
  const homeAws = awsRegionOf(home);
  const others = world.regions.filter((r) => !r.isHome);
  const awsRegions = [...new Set(others.map(awsRegionOf))].filter((r) => r !== homeAws);
  return {
    'versions.tf': [
      block(
        'terraform',
        [],
        [
          attr('required_version', '>= 1.5.0'),
          blank,
          block('required_providers', [], [attr('aws', { source: 'hashicorp/aws', version: '>= 5.0' })]),
        ],
      ),
    ],
    'providers.tf': [
      comment(`Home (${home.name}) and Route 53 use the default provider.`),
      block('provider', ['aws'], [attr('region', homeAws)]),
      ...awsRegions.map((r) =>
        block('provider', ['aws'], [attr('alias', terraformName(r)), attr('region', r)]),
      ),
    ],
    'variables.tf': [
      block(
        'variable',
        ['subnet_count'],
        [
          attr('description', 'Subnets per VPC (one per availability zone).'),
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
          attr('default', { 'meridian/zone': world.zone }),
        ],
      ),
      ...dnsVariables,
    ],
    'home.tf': homeVpc(home),
    'regions.tf': others.flatMap((r, i) => [
      ...(i > 0
        ? []
        : [comment('One instance of the region module per region: only the name and CIDR differ.')]),
      block(
        'module',
        [`region_${terraformName(r.name)}`],
        [
          attr('source', './modules/region'),
          attr('providers', { aws: ex(providerRef(world, awsRegionOf(r))), 'aws.home': ex('aws') }),
          blank,
          attr('name', r.name),
          attr('cidr', r.cidrText),
          attr('home', ex('local.home')),
          attr('subnet_count', ex('var.subnet_count')),
          attr('tags', ex('var.tags')),
        ],
      ),
    ]),
    'outputs.tf': [
      block('output', ['home_vpc_id'], [attr('value', ex('aws_vpc.home.id'))]),
      block(
        'output',
        ['region_vpc_ids'],
        [
          attr('description', 'VPC of each region other than home, by region name.'),
          attr(
            'value',
            Object.fromEntries(
              others.map((r) => [r.name, ex(`module.region_${terraformName(r.name)}.vpc_id`)]),
            ),
          ),
        ],
      ),
    ],
  };
}

function homeVpc(home: Region): HclNode[] {
  const tags = (suffix: string) =>
    ex(`merge(var.tags, { Name = "meridian-home${suffix}", "meridian/region" = "${home.name}" })`);
  return [
    comment(
      `Home: ${home.name}, ${home.cidrText}. It runs the home-only services and is a region too;\nevery other region peers with it and with nothing else.`,
    ),
    ...vpcNetwork({
      name: 'home',
      zones: 'home',
      cidr: home.cidrText,
      subnetBase: 'aws_vpc.home.cidr_block',
      vpcTags: tags(''),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation
      subnetTags: tags('-${count.index}'),
      tags: tags(''),
      internetRoute: 'home_internet',
    }),
    block(
      'locals',
      [],
      [
        comment('What each region module is told about home, and nothing else.'),
        attr('home', {
          region: awsRegionOf(home),
          vpc_id: ex('aws_vpc.home.id'),
          cidr: ex('aws_vpc.home.cidr_block'),
          route_table_id: ex('aws_route_table.home.id'),
        }),
      ],
    ),
  ];
}
