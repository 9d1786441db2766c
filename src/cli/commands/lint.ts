// `meridian lint [FILE]`: the world file checked against the schema and the topology rules.
import type { Command } from 'commander';
import { lintWorkload } from '../../workload/index.js';
import { type Diagnostic, formatDiagnostic } from '../../world/index.js';
import { lintWorldFile } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { KNOWN_WORKLOADS } from '../known-workloads.js';

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
    .action(async (file: string, opts: { json?: boolean; strict?: boolean }) => {
      const linted = lintWorldFile(file);
      // The workloads the world names and Meridian runs are checked against their own rules.
      const workloadErrors: Diagnostic[] = [];
      const named = new Set(linted.world?.hostnames.map((h) => h.workload) ?? []);
      for (const name of Object.keys(KNOWN_WORKLOADS).filter((n) => named.has(n))) {
        for (const f of await lintWorkload(KNOWN_WORKLOADS[name]!({}))) {
          workloadErrors.push({
            code: f.code,
            severity: f.severity,
            path: `workload ${name}`,
            line: 1,
            column: 1,
            message: f.message,
          });
        }
      }
      // A hostname the regions serve must name a workload Meridian runs (else a region would
      // serve another one); a home-policy hostname may name the user's own home-side service.
      const known = Object.keys(KNOWN_WORKLOADS);
      const lines = linted.text.split('\n');
      for (const h of linted.world?.hostnames ?? []) {
        if (h.policy === 'home' || known.includes(h.workload)) continue;
        const at = lines.findIndex((l) => new RegExp(`^\\s+["']?${escapeRegExp(h.name)}["']?\\s*:`).test(l));
        workloadErrors.push({
          code: 'unknown-workload',
          severity: 'error',
          path: `hostnames.${h.name}.workload`,
          line: at >= 0 ? at + 1 : 1,
          column: 1,
          message: `hostname ${h.name} names workload "${h.workload}", which Meridian does not run (it runs ${known.join(', ')}); a service of your own that stays home takes policy: home`,
        });
      }
      const result = { ...linted, diagnostics: [...linted.diagnostics, ...workloadErrors] };
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
