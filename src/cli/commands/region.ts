// `meridian region --name NAME [FILE]`: one region serving the links API, talking only to home.
// `--baseline` serves the same API the "before" way (every request reads home's database).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { decodeSenderKey, MeridianError } from '../../core/index.js';
import { ensureSecretFile, regionKeyPath } from '../../home/index.js';
import { startBaselineRegion } from '../../links/io/index.js';
import { startRegion } from '../../region/index.js';
import { parseSessionKeys } from '../../session/index.js';
import { loadSessionKeysFromEnv, loadSessionKeysFromFile, SESSION_KEYS_ENV } from '../../session/io/index.js';
import { loadWorld } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { escrowFromFlag } from '../escrow-from-flag.js';
import { addHttpLimitFlags, type HttpLimitFlags, httpLimitsFromFlags } from '../http-limit-flags.js';
import { KNOWN_WORKLOADS, workloadNameFor } from '../known-workloads.js';
import { programLifecycle } from '../program-lifecycle.js';
import { reloadWorldOnSighup } from '../reload-world-on-sighup.js';
import { VERSION } from '../version.js';
import { regionDrainGraceMs } from './region-drain-grace.js';

interface RegionFlags extends HttpLimitFlags {
  name: string;
  logLevel: string;
  home: string;
  host?: string;
  port?: string;
  baseline?: boolean;
  dataDir: string;
  escrow: string;
  s3Endpoint?: string;
  workload?: string;
  redis?: string;
  redisKeyPrefix?: string;
  configPublicKey: string;
  sessionKeys?: string;
  regionKeyFile?: string;
  graceMs?: string;
  buildVersion?: string;
  outboxSync: string;
}

export function registerRegion(program: Command, io: CliIo): void {
  const command = program
    .command('region')
    .description(
      'run one region serving the links API (or, with --baseline, the single-region "before" design)',
    )
    .argument('[file]', 'world file', 'meridian.yaml')
    .requiredOption('--name <region>', 'this region, as named in the world file')
    .option(
      '--log-level <level>',
      'pino log level of the JSON lines on stdout (info logs every request)',
      'warn',
    )
    .option('--home <url>', "home's base URL: the only address this region talks to", 'http://127.0.0.1:7000')
    .option('--host <address>', 'listen address (default: regions.<name>.address)')
    .option('--port <port>', 'listen port (default: regions.<name>.port; 0 picks a free one)')
    .option(
      '--baseline',
      'serve the baseline: sessions are rows and every request reads home (for measurement and drills)',
    )
    .option(
      '--data-dir <dir>',
      'the outbox database and the last-good config copy live here',
      '.meridian/regions',
    )
    .option(
      '--escrow <dir|url>',
      'escrow read when home does not answer: a directory, or s3://BUCKET/PREFIX',
      '.meridian/escrow',
    )
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint for an s3:// escrow (default $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS)',
    )
    .option(
      '--workload <name>',
      "the workload to serve: links or profiles (default: the world file's first hostname workload known here)",
    )
    .option(
      '--redis <url>',
      'Redis for workloads that read through an external cache (profiles), e.g. redis://127.0.0.1:6379',
    )
    .option(
      '--redis-key-prefix <prefix>',
      'key prefix in --redis (default meridian:profiles); regions of one world share it, separate worlds must not',
    )
    .option('--config-public-key <file>', "home's config public key, PEM", '.meridian/home/config-public.pem')
    .option(
      '--session-keys <file>',
      `session key ring (default $${SESSION_KEYS_ENV}, else .meridian/session-keys, created if missing); every region needs the same ring`,
    )
    .option(
      '--outbox-sync <mode>',
      'outbox durability: normal (an answered event survives a crash of this process) or full (also a power loss; an fsync per commit on the event loop)',
      'normal',
    )
    .option(
      '--region-key-file <file>',
      "this region's key for signing requests to home (default region-keys/<name>.key next to --config-public-key, written by meridian home)",
    )
    .option(
      '--grace-ms <ms>',
      'on SIGTERM, how long /healthz is red before the server stops (default: the health detection window + the links answer TTL)',
    )
    .option(
      '--build-version <version>',
      "report this build at /status instead of this binary's version (canaries and audit drills)",
    );
  addHttpLimitFlags(command)
    .addHelpText(
      'after',
      '\nSIGHUP re-reads FILE: the region takes the new world when nothing it runs by changed (else it says\nwhat needs a restart). SIGTERM/SIGINT drain: /healthz goes red, then the server stops.',
    )
    .action(async (file: string, flags: RegionFlags) => {
      const world = loadWorld(file);
      if (!world.regions.some((r) => r.name === flags.name)) {
        throw new MeridianError(
          'MERIDIAN_USAGE',
          `--name ${flags.name}: ${file} declares no such region; use one of ${world.regions.map((r) => r.name).join(', ')}`,
        );
      }
      const port = flags.port === undefined ? undefined : Number(flags.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new MeridianError('MERIDIAN_USAGE', `--port ${flags.port} is not a port number`);
      }
      const baseline = flags.baseline === true;
      const httpLimits = httpLimitsFromFlags(flags);
      if (flags.outboxSync !== 'full' && flags.outboxSync !== 'normal') {
        throw new MeridianError('MERIDIAN_USAGE', `--outbox-sync ${flags.outboxSync}: use full or normal`);
      }
      const regionKey = readRegionKey(
        flags.regionKeyFile ?? regionKeyPath(join(dirname(flags.configPublicKey), 'region-keys'), flags.name),
        flags.regionKeyFile !== undefined,
      );
      const escrow = escrowFromFlag(flags.escrow, { endpoint: flags.s3Endpoint });
      const workloadName = workloadNameFor(world, flags.workload);
      const redis = flags.redis ? new Redis(flags.redis, { maxRetriesPerRequest: 1 }) : undefined;
      const common = {
        world,
        name: flags.name,
        homeUrl: flags.home,
        ...(flags.host ? { host: flags.host } : {}),
        ...(port === undefined ? {} : { port }),
        buildVersion: flags.buildVersion ?? VERSION,
        httpLimits,
        regionKey,
        processMetrics: true,
        logger: { level: flags.logLevel },
      };
      const region = baseline
        ? await startBaselineRegion(common)
        : await startRegion({
            ...common,
            workload: KNOWN_WORKLOADS[workloadName]!({
              redis,
              ...(flags.redisKeyPrefix ? { redisKeyPrefix: flags.redisKeyPrefix } : {}),
            }),
            dataDir: flags.dataDir,
            escrow: escrow.store,
            configPublicKey: readKeyFile(flags.configPublicKey),
            sessionKeys: sessionKeysFrom(flags.sessionKeys),
            outboxSynchronous: flags.outboxSync,
          });
      const config = 'config' in region ? region.config : undefined;
      config?.on('meridian:config:accepted', (e: { version: number; source: string }) =>
        io.err(`region ${region.name}: config v${e.version} accepted from ${e.source}`),
      );
      config?.on(
        'meridian:config:rejected',
        (e: { version?: number; source: string; reason: string; detail: string }) =>
          io.err(
            `region ${region.name}: config v${e.version ?? '?'} from ${e.source} rejected (${e.reason}): ${e.detail}; keeping the last good one`,
          ),
      );
      config?.on('meridian:config:older-streak', (e) =>
        io.err(
          `region ${region.name}: ${e.source} offered config v${e.offeredVersion}, older than the v${e.heldVersion} held, ${e.polls} polls in a row; ` +
            "home may have restarted its version numbering (compare home's /status config.version). Its changes are not applied; /status reports it and /healthz turns red after knobs.configOlderUnhealthyMs",
        ),
      );
      config?.on('meridian:config:older-streak-ended', (e) =>
        io.err(
          `region ${region.name}: config sources no longer offer older versions (after ${e.polls} polls)`,
        ),
      );
      const graceMs =
        flags.graceMs === undefined
          ? regionDrainGraceMs(world, flags.name, workloadName)
          : Number(flags.graceMs);
      // SIGTERM drains: /healthz turns red, and the region stops once the GSLB has moved away.
      const life = programLifecycle({
        label: `region ${region.name}`,
        io,
        drain: { registry: region.health, graceMs },
      });
      life.opened('escrow client', () => escrow.close());
      if (redis) life.opened('redis client', () => void redis.disconnect());
      life.opened('region', () => region.stop());
      life.opened(
        'world reload',
        reloadWorldOnSighup(file, `region ${region.name}`, (w) => region.adoptWorld(w), io),
      );
      life.ready(
        `region ${region.name} (${region.mode}, ${'config' in region ? workloadName : 'links baseline'}) listening on ${region.url}, home ${flags.home}, escrow ${escrow.description}`,
        {
          url: region.url,
        },
      );
      await life.untilStopped();
    });
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_USAGE',
      `cannot read the config public key ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); start home first or pass --config-public-key`,
    );
  }
}

/** The region's signing key (decision 0015) from its key file. */
function readRegionKey(path: string, given: boolean): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new MeridianError(
      'MERIDIAN_REGION_KEY_INVALID',
      given
        ? `cannot read the region key ${path} (${code}); pass the file meridian home wrote for this region`
        : `cannot read the region key ${path} (${code}): start meridian home with the world file first (it writes region-keys/<name>.key next to config-public.pem), or pass --region-key-file`,
    );
  }
  const key = decodeSenderKey(text);
  if (!key) {
    throw new MeridianError(
      'MERIDIAN_REGION_KEY_INVALID',
      `${path} is not a region key (32 bytes, base64url, one line): copy the file meridian home wrote for this region`,
    );
  }
  return key;
}

function sessionKeysFrom(path: string | undefined) {
  if (path) return loadSessionKeysFromFile(path);
  if (process.env[SESSION_KEYS_ENV]) return loadSessionKeysFromEnv();
  const file = join('.meridian', 'session-keys');
  const { text } = ensureSecretFile(file, () => `active 1\nkey 1 ${randomBytes(32).toString('base64')}\n`);
  return parseSessionKeys(text, file);
}
