// `meridian lint [FILE]`: the world file checked against the schema and the topology rules.
import type { Command } from 'commander';
import { formatDiagnostic } from '../../world/index.js';
import { lintWorldFile } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';

export function registerLint(program: Command, io: CliIo): void {
  program
    .command('lint')
    .description('check a world file against the schema and the topology rules')
    .argument('[file]', 'world file', 'meridian.yaml')
    .option('--json', 'print diagnostics as JSON: [{code, severity, path, line, column, message}]')
    .option('--strict', 'fail on warnings too')
    .addHelpText(
      'after',
      '\nExit codes: 0 valid, 1 invalid (or warnings with --strict), 2 usage error or unreadable file.\nRules and why they exist: docs/rules.md',
    )
    .action((file: string, opts: { json?: boolean; strict?: boolean }) => {
      const result = lintWorldFile(file);
      const failed = result.diagnostics.some(
        (d) => d.severity === 'error' || (opts.strict && d.severity === 'warning'),
      );
      if (opts.json) {
        io.out(JSON.stringify(result.diagnostics, null, 2));
      } else {
        for (const d of result.diagnostics) io.out(formatDiagnostic(file, d));
        const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
        const warnings = result.diagnostics.length - errors;
        io.err(
          result.diagnostics.length === 0
            ? `${file}: ok`
            : `${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
        );
      }
      io.setExitCode(failed ? EXIT_FAILED : EXIT_OK);
    });
}
