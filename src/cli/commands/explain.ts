// `meridian explain HOSTNAME --from CLIENT [FILE]`: the offline what-if, stage by stage.
import type { Command } from 'commander';
import { MeridianError } from '../../core/index.js';
import { type HealthTable, uniformHealthTable } from '../../health-table/index.js';
import {
  compileSteering,
  type Explanation,
  explainQuery,
  type GeoLookup,
  parseClientSpec,
} from '../../policy/index.js';
import { openGeoIpDatabase } from '../../policy/io/index.js';
import type { World } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_OK } from '../exit-codes.js';

/** Every region up, except `down` (down) and `drained` (drained). */
export function assumedHealth(
  world: World,
  down: readonly string[],
  drained: readonly string[],
): HealthTable {
  for (const name of [...down, ...drained]) {
    if (!world.regions.some((r) => r.name === name)) {
      throw new MeridianError(
        'MERIDIAN_USAGE',
        `no region "${name}" in the world; known regions: ${world.regions.map((r) => r.name).join(', ')}`,
      );
    }
  }
  const base = uniformHealthTable(
    world.regions.map((r) => r.name),
    'up',
  );
  return Object.freeze({
    ...base,
    regions: Object.freeze(
      base.regions.map((r) => {
        const isDown = down.includes(r.name);
        const isDrained = drained.includes(r.name);
        return Object.freeze({
          ...r,
          state: isDown ? ('down' as const) : r.state,
          drained: isDrained,
          serving: !isDown && !isDrained,
        });
      }),
    ),
  });
}

/** The human rendering of an explanation. */
export function formatExplanation(e: Explanation): string[] {
  const lines = [
    `${e.hostname} for ${e.client}`,
    `  client located as ${e.locatedAs} (${e.location.lat.toFixed(2)}, ${e.location.lon.toFixed(2)}); ECS scope /${e.scopePrefixLength}`,
  ];
  if (e.rollout) {
    lines.push(
      `  rollout ${e.rollout.region} ${e.rollout.percent} %${e.rollout.sticky ? ` sticky, bucket ${e.rollout.bucket}` : ' coin flip'}: ${e.rollout.inRollout ? 'in' : 'out'}`,
    );
  }
  for (const s of e.stages) {
    lines.push(`  ${s.stage.padEnd(14)} [${s.input.join(', ')}] → [${s.output.join(', ')}]`);
    for (const n of s.notes) lines.push(`  ${''.padEnd(14)} ${n}`);
  }
  lines.push(
    `  answer: ${e.addresses.length > 0 ? e.regions.map((r, i) => `${r} ${e.addresses[i]}`).join(', ') : '(none: NODATA)'} ttl ${e.ttlSeconds}s${e.allDown ? ' (whenAllDown)' : ''}`,
  );
  return lines;
}

export function registerExplain(program: Command, io: CliIo): void {
  program
    .command('explain')
    .description('what would a client get for a hostname, and why (offline, assumed health)')
    .argument('<hostname>', 'hostname (relative like links, or absolute)')
    .argument('[file]', 'world file', 'meridian.yaml')
    .requiredOption('--from <client>', 'client: IP, CIDR (as sent in ECS) or a network name of the world')
    .option('--down <region...>', 'regions assumed down (default: all up)', [])
    .option('--drained <region...>', 'regions assumed drained', [])
    .option('--geoip <file>', 'MaxMind City database for clients outside `networks`')
    .option('--json', 'print the explanation as JSON')
    .action(
      async (
        hostname: string,
        file: string,
        opts: { from: string; down: string[]; drained: string[]; geoip?: string; json?: boolean },
      ) => {
        const world = loadWorld(file);
        const geo: GeoLookup | null = opts.geoip ? await openGeoIpDatabase(opts.geoip) : null;
        const policy = compileSteering(world, assumedHealth(world, opts.down, opts.drained), undefined, {
          geo,
        });
        const client = parseClientSpec(policy, opts.from);
        if (!client.ok) throw new MeridianError('MERIDIAN_USAGE', `--from: ${client.reason}`);
        const e = explainQuery(policy, hostname, client.value);
        if (!e) {
          throw new MeridianError(
            'MERIDIAN_USAGE',
            `"${hostname}" is not a hostname of ${world.zone}; hostnames: ${world.hostnames.map((h) => h.name).join(', ')}`,
          );
        }
        if (opts.json) io.out(JSON.stringify(e, null, 2));
        else for (const line of formatExplanation(e)) io.out(line);
        io.setExitCode(EXIT_OK);
      },
    );
}
