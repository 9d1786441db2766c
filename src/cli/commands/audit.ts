// `meridian audit [FILE]`: every region's (and home's) live `/status` diffed against the region
// template, printed like `terraform plan`. Exit 0 consistent, 2 drift, 1 error.
import { type Command, InvalidArgumentError } from 'commander';
import { auditTargets, auditWorld, formatAuditPlan } from '../../audit/index.js';
import { observeTargets } from '../../audit/io/index.js';
import { isMeridianError } from '../../core/index.js';
import { formatDiagnostic } from '../../world/index.js';
import { lintWorldFile } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { VERSION } from '../version.js';

/** `meridian audit` exits 2 when it finds drift, like `terraform plan -detailed-exitcode`. */
export const EXIT_DRIFT = 2;

interface AuditFlags {
  json?: boolean;
  home: string | false;
  endpoint: string[];
  discover: string[];
  discoverPort: number[];
  maxConfigLagVersions: number;
  maxConfigLagSeconds: number;
  timeoutMs: number;
  expectBuild?: string;
}

export function registerAudit(program: Command, io: CliIo, now: () => number = Date.now): void {
  program
    .command('audit')
    .description("diff every region's live /status (and home's) against the world file's region template")
    .argument('[file]', 'world file', 'meridian.yaml')
    .option('--json', 'print the report as JSON')
    .option('--home <host:port>', "home's status endpoint (default: home region address, port + 1)")
    .option('--no-home', 'do not ask home')
    .option(
      '--endpoint <host:port>',
      'also ask this endpoint; a region answering there is unexpected',
      collect,
      [],
    )
    .option('--discover <cidr>', 'sweep this IPv4 range for undeclared regions (repeatable)', collect, [])
    .option(
      '--discover-port <port>',
      'port to sweep (repeatable; default: declared region ports)',
      collectInt,
      [],
    )
    .option('--max-config-lag-versions <n>', 'config snapshot versions a region may lag behind', int, 1)
    .option('--max-config-lag-seconds <s>', 'seconds a region may lag behind the newest snapshot', int, 30)
    .option('--timeout-ms <ms>', 'deadline for each /status request', int, 2000)
    .option(
      '--expect-build <version>',
      'build expected when the template has no `build` (default: this meridian)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 consistent, 2 drift (changed, missing or unexpected regions), 1 error (world file unreadable or failing lint, bad endpoint or range).\nA malformed option value is a usage error (2), as for every command.\nDecision record: docs/decisions/0003-region-template-audit-export.md',
    )
    .action(async (file: string, flags: AuditFlags) => {
      try {
        const lint = lintWorldFile(file);
        if (!lint.world) {
          for (const d of lint.diagnostics) io.err(formatDiagnostic(file, d));
          io.err(`meridian audit: ${file} fails lint; nothing audited`);
          io.setExitCode(EXIT_FAILED);
          return;
        }
        const world = lint.world;
        const targets = auditTargets(world, {
          ...(flags.home === false ? { home: null } : flags.home ? { home: flags.home } : {}),
          endpoints: flags.endpoint,
          discover: flags.discover,
          discoverPorts: flags.discoverPort,
        });
        const observations = await observeTargets(targets, { timeoutMs: flags.timeoutMs });
        const report = auditWorld(world, observations, {
          defaultBuild: flags.expectBuild ?? VERSION,
          nowMs: now(),
          maxConfigLagVersions: flags.maxConfigLagVersions,
          maxConfigLagSeconds: flags.maxConfigLagSeconds,
        });
        io.out(flags.json ? JSON.stringify(report, null, 2) : formatAuditPlan(report, { file }));
        io.setExitCode(report.drift ? EXIT_DRIFT : EXIT_OK);
      } catch (err) {
        if (!isMeridianError(err)) throw err;
        io.err(`meridian audit: ${err.message}`);
        io.setExitCode(EXIT_FAILED);
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

function collectInt(value: string, previous: number[]): number[] {
  const n = int(value);
  if (n < 1 || n > 65535) throw new InvalidArgumentError('expected a port 1-65535');
  return [...previous, n];
}
