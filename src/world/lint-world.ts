// `lint`: YAML text in, every diagnostic out (syntax, schema, then the semantic rules), plus
// the resolved world when there is no error. Pure: no file access.
import { type Diagnostic, sortDiagnostics } from './diagnostic.js';
import { LINT_RULES } from './lint-rules.js';
import { type LintWork, noLintWork } from './lint-work.js';
import { schemaFindings } from './schema-findings.js';
import { buildWorld, type World } from './world.js';
import { parseYamlSource } from './yaml-source.js';

export interface LintResult {
  readonly diagnostics: readonly Diagnostic[];
  /** The resolved world; present only when no diagnostic is an error. */
  readonly world?: World;
}

export interface LintOptions {
  /** Counts lint's steps (tests prove lint linear with it). */
  readonly work?: LintWork;
}

/** Lints a world file's text; never throws on any input. */
export function lintWorldText(
  text: string,
  fileName = 'meridian.yaml',
  options: LintOptions = {},
): LintResult {
  const work = options.work ?? noLintWork();
  const source = parseYamlSource(text, fileName, work);
  if (source.fatal) return { diagnostics: sortDiagnostics(source.syntaxDiagnostics) };
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    return {
      diagnostics: [
        ...source.syntaxDiagnostics,
        {
          code: 'schema-invalid-type',
          severity: 'error',
          path: '',
          line: 1,
          column: 1,
          message: 'a world file is a YAML mapping with zone, home and regions; see examples/minimal.yaml',
        },
      ],
    };
  }
  const schema = schemaFindings(source.value);
  if (!schema.ok) {
    return {
      diagnostics: sortDiagnostics([...source.syntaxDiagnostics, ...schema.findings.map(source.diagnostic)]),
    };
  }
  const findings = LINT_RULES.flatMap((rule) => rule(schema.data, work));
  const diagnostics = sortDiagnostics([...source.syntaxDiagnostics, ...findings.map(source.diagnostic)]);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { diagnostics, world: buildWorld(schema.data, text) };
}

/** `file:line:column: severity code path: message`, the format of `meridian lint`. */
export function formatDiagnostic(fileName: string, d: Diagnostic): string {
  return `${fileName}:${d.line}:${d.column}: ${d.severity} ${d.code}${d.path ? ` ${d.path}` : ''}: ${d.message}`;
}
