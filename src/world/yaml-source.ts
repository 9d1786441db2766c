// A parsed YAML world file that can say where (line, column) any field path is.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic, Finding } from './diagnostic.js';
import { formatPath, sortDiagnostics } from './diagnostic.js';
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
  // Duplicate keys are found by `duplicateKeys` below, in one pass: the parser's own check
  // (uniqueKeys) compares each key with every earlier key of its mapping, quadratic in its size.
  // Pretty errors copy the line of each error, quadratic on a long line; positions come from
  // the line counter instead.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const linePos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  const syntaxDiagnostics: Diagnostic[] = doc.errors.map((e) => {
    const pos = linePos(e.pos[0]);
    const firstLine = e.message.split('\n')[0] ?? e.message;
    return {
      code: 'yaml-syntax',
      severity: 'error',
      path: '',
      ...pos,
      message: `${firstLine.replace(/ at line.*$/, '')}; fix the YAML syntax here`,
    };
  });
  const fatal = doc.errors.length > 0;
  for (const offset of duplicateKeys(doc.contents, work)) {
    syntaxDiagnostics.push({
      code: 'duplicate-name',
      severity: 'error',
      path: '',
      ...linePos(offset),
      message: 'Map keys must be unique: each name may appear once; rename or merge the two entries',
    });
  }

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

  // Each mapping's keys, indexed on first use: a lookup is then one step per path element.
  const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const keyIndex = (map: YAMLMap): Map<string, Pair> => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        work.steps += 1;
        if (!isPair(p) || !isScalar(p.key)) continue;
        const key = String(p.key.value);
        if (!index.has(key)) index.set(key, p);
      }
      keyIndexes.set(map, index);
    }
    return index;
  };

  function position(path: readonly PropertyKey[], at: 'key' | 'value' = 'value') {
    let node: unknown = doc.contents;
    let best: { line: number; column: number } =
      node && (node as Node).range ? linePos((node as Node).range![0]) : { line: 1, column: 1 };
    for (let i = 0; i < path.length; i++) {
      work.steps += 1;
      const part = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = keyIndex(node).get(String(part));
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
    syntaxDiagnostics: sortDiagnostics(syntaxDiagnostics),
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

/**
 * The offsets of keys that repeat an earlier scalar key of the same mapping, in one pass over
 * the document (aliases are not followed: what they point at is visited where it is defined).
 */
function duplicateKeys(root: unknown, work: LintWork): number[] {
  const out: number[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    work.steps += 1;
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        work.steps += 1;
        const key = pair.key;
        if (isScalar(key)) {
          if (seen.has(key.value)) out.push((key as Node).range?.[0] ?? 0);
          else seen.add(key.value);
        } else if (key) stack.push(key);
        if (pair.value) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return out;
}
