// The composition root of the `meridian` command: registers every subcommand and maps
// errors to exit codes (0 ok, 1 failed, 2 usage) with one clear line instead of a stack trace.
import { Command, CommanderError } from 'commander';
import { isMeridianError } from '../core/index.js';
import { registerDrill, registerUp } from '../lab/index.js';
import { type CliIo, processIo } from './cli-io.js';
import { registerAudit } from './commands/audit.js';
import { registerDns } from './commands/dns.js';
import { registerDnssec } from './commands/dnssec.js';
import { registerExplain } from './commands/explain.js';
import { registerExport } from './commands/export.js';
import { registerHome } from './commands/home.js';
import { registerLint } from './commands/lint.js';
import { registerProbe } from './commands/probe.js';
import { registerRegion } from './commands/region.js';
import { EXIT_FAILED, EXIT_USAGE } from './exit-codes.js';
import { VERSION } from './version.js';

/** Builds the command tree; `io` receives all output. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('meridian')
    .description(
      'Take a service multi-region: steer users to the nearest healthy region, and prove it on one machine.',
    )
    .version(VERSION, '-V, --version')
    .helpCommand('help [command]', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    });
  registerLint(program, io);
  registerAudit(program, io);
  registerExport(program, io);
  registerDrill(program, io);
  registerUp(program, io);
  registerDns(program, io);
  registerDnssec(program, io);
  registerProbe(program, io);
  registerExplain(program, io);
  registerHome(program, io);
  registerRegion(program, io);
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    });
  }
  return program;
}

/** Errors that exit 2: the command was given something it cannot use. */
const USAGE_ERRORS = new Set([
  'MERIDIAN_USAGE',
  'MERIDIAN_WORLD_UNREADABLE',
  'MERIDIAN_WORLD_NOT_A_FILE',
  'MERIDIAN_WORLD_TOO_LARGE',
  'MERIDIAN_WORLD_MAX_BYTES_INVALID',
]);

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io?: CliIo): Promise<number> {
  const state = { exitCode: 0 };
  const cliIo = io ?? processIo(state);
  const setExit = cliIo.setExitCode;
  let exitCode = 0;
  const wrapped: CliIo = {
    ...cliIo,
    setExitCode: (code) => {
      exitCode = code;
      setExit(code);
    },
  };
  try {
    await buildProgram(wrapped).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      ) {
        return 0;
      }
      return EXIT_USAGE;
    }
    if (isMeridianError(err)) {
      cliIo.err(`meridian: ${err.message}`);
      return USAGE_ERRORS.has(err.code) ? EXIT_USAGE : EXIT_FAILED;
    }
    cliIo.err(`meridian: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
    return EXIT_FAILED;
  }
}
