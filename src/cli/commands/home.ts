// `meridian home [FILE]`: home's services (config + publisher, admin API, ingest, stats,
// partner-relay, the baseline's row API) in one process. Knows no region address.
import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { generateSigningKeys, toPrivateKey } from '../../config/index.js';
import { MeridianError } from '../../core/index.js';
import { ensureSecretFile, startHome, writeRegionKeys } from '../../home/index.js';
import { loadSessionKeysFromFile } from '../../session/io/index.js';
import { loadWorld } from '../../world/io/index.js';
import { adminTokenFromFlags } from '../admin-token-from-flags.js';
import type { CliIo } from '../cli-io.js';
import { escrowFromFlag } from '../escrow-from-flag.js';
import { addHttpLimitFlags, type HttpLimitFlags, httpLimitsFromFlags } from '../http-limit-flags.js';
import { KNOWN_WORKLOADS, workloadNameFor } from '../known-workloads.js';
import { programLifecycle } from '../program-lifecycle.js';
import { reloadWorldOnSighup } from '../reload-world-on-sighup.js';
import { VERSION } from '../version.js';

interface HomeFlags extends HttpLimitFlags {
  host: string;
  logLevel: string;
  port: string;
  dataDir: string;
  escrow: string;
  s3Endpoint?: string;
  workload?: string;
  databaseUrl?: string;
  sqlite?: boolean;
  databaseSchema: string;
  signingKey?: string;
  adminTokenFile?: string;
  adminAllowHost: string[];
  requestSecretFile?: string;
  configName?: string;
  sessionKeys?: string;
}

export function registerHome(program: Command, io: CliIo): void {
  const command = program
    .command('home')
    .description('run the home services: config publisher and admin API, ingest, stats, partner-relay')
    .argument('[file]', 'world file (optional: names the config snapshot and fills /status)')
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option(
      '--log-level <level>',
      'pino log level of the JSON lines on stdout (info logs every request)',
      'warn',
    )
    .option('--port <port>', 'listen port (0 picks a free one)', '7000')
    .option('--data-dir <dir>', 'SQLite database, signing key and admin token live here', '.meridian/home')
    .option(
      '--escrow <dir|url>',
      'escrow the snapshots are written to: a directory, or s3://BUCKET/PREFIX',
      '.meridian/escrow',
    )
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint for an s3:// escrow (default $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS)',
    )
    .option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; without either, SQLite)')
    .option('--sqlite', 'use SQLite even when DATABASE_URL is set')
    .option('--database-schema <name>', 'PostgreSQL schema for home tables', 'meridian')
    .option(
      '--signing-key <file>',
      'Ed25519 private key, PEM (default <data-dir>/config-signing.pem, created if missing)',
    )
    .option(
      '--admin-token-file <file>',
      'admin bearer token, 16+ characters (default $MERIDIAN_ADMIN_TOKEN, else <data-dir>/admin-token, created if missing)',
    )
    .option(
      '--admin-allow-host <name>',
      'a DNS name admin requests may carry in Host besides localhost and IP addresses (repeatable)',
      (name: string, all: string[]) => [...all, name],
      [] as string[],
    )
    .option(
      '--request-secret-file <file>',
      'the secret every region and partner-relay signing key derives from (default <data-dir>/request-secret, created if missing)',
    )
    .option(
      '--session-keys <file>',
      "the regions' session key ring: lets the admin API revoke a session by its full ID",
    )
    .option(
      '--workload <name>',
      "the workload whose home side to run: links or profiles (default: the world file's first hostname workload known here)",
    )
    .option('--config-name <name>', 'config snapshot name (default: the world template, else "config")');
  addHttpLimitFlags(command)
    .addHelpText(
      'after',
      '\nOn first start it writes <data-dir>/config-public.pem: give it to every region (--config-public-key).\nWith FILE it writes <data-dir>/region-keys/<region>.key for each region: give each region its own (--region-key-file).\nSIGHUP re-reads FILE: /status takes the new world when nothing home runs by changed.\nStop with SIGTERM or SIGINT.',
    )
    .action(async (file: string | undefined, flags: HomeFlags) => {
      const world = file ? loadWorld(file) : undefined;
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new MeridianError('MERIDIAN_USAGE', `--port ${flags.port} is not a port number`);
      }
      const httpLimits = httpLimitsFromFlags(flags);
      // Before anything is written: a weak token given in a file or the environment stops here.
      const tokenFile = join(flags.dataDir, 'admin-token');
      const adminToken = adminTokenFromFlags(flags.adminTokenFile, process.env, () => ({
        text: ensureSecretFile(tokenFile, () => randomBytes(24).toString('base64url')).text,
        source: `${tokenFile} (delete it and home writes a new one)`,
      }))!;
      const signingPath = flags.signingKey ?? join(flags.dataDir, 'config-signing.pem');
      let publicPem: string | undefined;
      const signing = ensureSecretFile(signingPath, () => {
        const keys = generateSigningKeys();
        publicPem = keys.publicKey;
        return keys.privateKey;
      });
      const publicPath = join(flags.dataDir, 'config-public.pem');
      if (signing.created || !safeRead(publicPath)) {
        publicPem ??= publicKeyOf(signing.text);
        writeFileSync(publicPath, publicPem);
      }
      const requestSecret = flags.requestSecretFile
        ? readSecretFile(flags.requestSecretFile, '--request-secret-file')
        : ensureSecretFile(join(flags.dataDir, 'request-secret'), () => randomBytes(32).toString('base64url'))
            .text;
      const regionKeysDir = join(flags.dataDir, 'region-keys');
      const databaseUrl = flags.sqlite ? undefined : (flags.databaseUrl ?? process.env.DATABASE_URL);
      const escrow = escrowFromFlag(flags.escrow, { endpoint: flags.s3Endpoint });
      const home = await startHome({
        workload: KNOWN_WORKLOADS[workloadNameFor(world, flags.workload)]!({}),
        host: flags.host,
        port,
        dataDir: flags.dataDir,
        escrow: escrow.store,
        ...(databaseUrl ? { databaseUrl, databaseSchema: flags.databaseSchema } : {}),
        signingKey: signing.text,
        adminToken,
        adminAllowedHosts: flags.adminAllowHost,
        httpLimits,
        requestSecret,
        ...(flags.configName ? { configName: flags.configName } : {}),
        ...(world ? { world } : {}),
        ...(flags.sessionKeys ? { sessionKeys: loadSessionKeysFromFile(flags.sessionKeys) } : {}),
        buildVersion: VERSION,
        processMetrics: true,
        logger: { level: flags.logLevel },
      });
      // Each region of the world gets its key file (a region added later gets one on SIGHUP).
      if (world)
        writeRegionKeys(
          regionKeysDir,
          requestSecret.trim(),
          world.regions.map((r) => r.name),
        );
      const life = programLifecycle({ label: 'home', io });
      life.opened('escrow client', () => escrow.close());
      life.opened('home', () => home.stop());
      if (file) {
        life.opened(
          'world reload',
          reloadWorldOnSighup(
            file,
            'home',
            (w) => {
              try {
                writeRegionKeys(
                  regionKeysDir,
                  requestSecret.trim(),
                  w.regions.map((r) => r.name),
                );
              } catch (err) {
                io.err(`home: cannot write the region keys to ${regionKeysDir}: ${(err as Error).message}`);
              }
              return home.adoptWorld(w);
            },
            io,
          ),
        );
      }
      life.ready(
        `home listening on ${home.url} (database ${databaseUrl ? 'postgresql' : 'sqlite'}, config "${home.publisher.name}" v${home.publisher.lastVersion()}, escrow ${escrow.description}, public key ${publicPath}${world ? `, region keys ${regionKeysDir}` : ''})`,
        { url: home.url },
      );
      await life.untilStopped();
    });
}

function publicKeyOf(privatePem: string): string {
  return createPublicKey(toPrivateKey(privatePem)).export({ type: 'spki', format: 'pem' }).toString();
}

function readSecretFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_USAGE',
      `${flag} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
