// `meridian export terraform [FILE] --out DIR [--dns delegate|route53]`: the world as Terraform
// for AWS. A world that fails lint exports nothing.
import { type Command, Option } from 'commander';
import { isMeridianError } from '../../core/index.js';
import { type DnsMode, terraformFiles } from '../../terraform/index.js';
import { writeTerraformFiles } from '../../terraform/io/index.js';
import { formatDiagnostic } from '../../world/index.js';
import { lintWorldFile } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';

export function registerExport(program: Command, io: CliIo): void {
  const exportCmd = program.command('export').description('write the world in another tool’s format');
  exportCmd
    .command('terraform')
    .description('Terraform for AWS: the home VPC, one region module instance per region, and DNS')
    .argument('[file]', 'world file', 'meridian.yaml')
    .requiredOption(
      '--out <dir>',
      'directory to write into (created if needed; only generated files are replaced)',
    )
    .addOption(
      new Option('--dns <mode>', 'delegate the zone to the Meridian GSLB hosts, or Route 53 records')
        .choices(['delegate', 'route53'])
        .default('delegate'),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 written, 1 the world fails lint (nothing written) or a write failed, 2 usage error.\nThe README written with the files says what Route 53 cannot express.',
    )
    .action((file: string, flags: { out: string; dns: DnsMode }) => {
      try {
        const lint = lintWorldFile(file);
        if (!lint.world) {
          for (const d of lint.diagnostics) io.err(formatDiagnostic(file, d));
          io.err(`meridian export: ${file} fails lint; nothing exported`);
          io.setExitCode(EXIT_FAILED);
          return;
        }
        const result = terraformFiles(lint.world, { dns: flags.dns });
        for (const path of writeTerraformFiles(flags.out, result.files)) io.out(path);
        for (const gap of result.gaps) io.err(`meridian export: Route 53 cannot express: ${gap}`);
        io.setExitCode(EXIT_OK);
      } catch (err) {
        if (!isMeridianError(err)) throw err;
        io.err(`meridian export: ${err.message}`);
        io.setExitCode(EXIT_FAILED);
      }
    });
}
