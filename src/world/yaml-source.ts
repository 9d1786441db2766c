// A parsed YAML world file that can say where (line, column) any field path is.
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Diagnostic, Finding } from './diagnostic.js';
import { formatPath } from './diagnostic.js';
import { type LintWork, noLintWork } from './lint-work.js';

/** The YAML document of a world file, with positions for diagnostics. */
export interface YamlSource {
  readonly fileName: string;
  readonly text: string;
  /** The plain JavaScript value of the document (undefined when it could not be parsed). */
  readonly value: unknown;
  /** Syntax and duplicate-key problems found by the YAML parser. */
  readonly syntaxDiagnostics: readonly Diagnostic[];
  /** Whether the document is too broken to validate further. */
  readonly fatal: boolean;
  position(path: readonly PropertyKey[], at?: 'key' | 'value'): { line: number; column: number };
  diagnostic(finding: Finding): Diagnostic;
}

/** Parses YAML text, collecting every syntax error with its position; never throws. */
export function parseYamlSource(text: string, fileName: string, work: LintWork = noLintWork()): YamlSource {
  const lineCounter = new LineCounter();
  const uniqueKeys = (a: unknown, b: unknown) => {
    work.steps += 1;
    return a === b || (isScalar(a) && isScalar(b) && a.value === b.value);
  };
  const doc = parseDocument(text, { lineCounter, uniqueKeys, prettyErrors: true });
  const linePos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  const syntaxDiagnostics: Diagnostic[] = doc.errors.map((e) => {
    const duplicate = e.code === 'DUPLICATE_KEY';
    const pos = linePos(e.pos[0]);
    const firstLine = e.message.split('\n')[0] ?? e.message;
    return {
      code: duplicate ? 'duplicate-name' : 'yaml-syntax',
      severity: 'error',
      path: '',
      ...pos,
      message: duplicate
        ? `${firstLine.replace(/ at line.*$/, '')}: each name may appear once; rename or merge the two entries`
        : `${firstLine.replace(/ at line.*$/, '')}; fix the YAML syntax here`,
    };
  });
  const fatal = doc.errors.some((e) => e.code !== 'DUPLICATE_KEY');

  let value: unknown;
  if (!fatal) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      syntaxDiagnostics.push({
        code: 'yaml-syntax',
        severity: 'error',
        path: '',
        line: 1,
        column: 1,
        message: `${(err as Error).message}; simplify the YAML (aliases, tags)`,
      });
    }
  }

  function position(path: readonly PropertyKey[], at: 'key' | 'value' = 'value') {
    let node: unknown = doc.contents;
    let best: { line: number; column: number } =
      node && (node as Node).range ? linePos((node as Node).range![0]) : { line: 1, column: 1 };
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          work.steps += 1;
          return isPair(p) && isScalar(p.key) && String(p.key.value) === String(part);
        });
        if (!pair) return best;
        const keyNode = pair.key as Node;
        if (last && at === 'key' && keyNode.range) return linePos(keyNode.range[0]);
        const v = pair.value as Node | null;
        if (v?.range) best = linePos(v.range[0]);
        else if (keyNode.range) best = linePos(keyNode.range[0]);
        node = v;
      } else if (isSeq(node) && typeof part === 'number') {
        const item = node.items[part] as Node | undefined;
        if (!item) return best;
        if (item.range) best = linePos(item.range[0]);
        node = item;
      } else {
        return best;
      }
    }
    return best;
  }

  return {
    fileName,
    text,
    value,
    syntaxDiagnostics,
    fatal,
    position,
    diagnostic: (f) => ({
      code: f.code,
      severity: f.severity,
      path: formatPath(f.path),
      ...position(f.path, f.at),
      message: f.message,
    }),
  };
}
