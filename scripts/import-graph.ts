// The static import graph of src/: which file imports which, read from the source text (no build).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One import or re-export statement (or a literal `import()`) of a source file. */
export interface ImportEdge {
  /** The importing file, relative to the repository root (`src/dns/answer.ts`). */
  from: string;
  /** The specifier as written (`../core/index.js`, `node:fs`, `maxmind`). */
  specifier: string;
  /** The imported file relative to the repository root, for relative specifiers that resolve. */
  target?: string;
  /** True for `import type` / `export type` and clauses whose every name is `type X`: never loaded. */
  typeOnly: boolean;
  /** 1-based line of the statement. */
  line: number;
}

const STATEMENT =
  /(?:^|[\n;])[ \t]*(import|export)\s+(type\s+)?(?:([\w*{}\s,$]*?)\s+from\s+)?['"]([^'"\n]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

function stripComments(text: string): string {
  // Keeps line breaks so that line numbers still match; good enough for this code base's style.
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, (_m, p: string) => p);
}

function isTypeOnlyClause(clause: string | undefined): boolean {
  if (!clause) return false;
  const m = /^\{([\s\S]*)\}$/.exec(clause.trim());
  if (!m) return false;
  const names = m[1]!
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

function resolveRelative(root: string, fromFile: string, specifier: string): string | undefined {
  const abs = resolve(root, dirname(fromFile), specifier);
  for (const candidate of [abs.replace(/\.js$/, '.ts'), abs, `${abs}.ts`, join(abs, 'index.ts')]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return relative(root, candidate);
    if (existsSync(candidate) && /\.(json|node|mjs|cjs)$/.test(candidate)) return relative(root, candidate);
  }
  return undefined;
}

/** The imports of one file (path relative to root). */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = stripComments(readFileSync(join(root, file), 'utf8'));
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, index: number) => {
    const target = specifier.startsWith('.') ? resolveRelative(root, file, specifier) : undefined;
    edges.push({ from: file, specifier, typeOnly, line: lineAt(index), ...(target ? { target } : {}) });
  };
  for (const m of text.matchAll(STATEMENT)) {
    const leading = m[0].length - m[0].trimStart().length;
    add(m[4]!, Boolean(m[2]) || isTypeOnlyClause(m[3]), m.index + leading);
  }
  for (const m of text.matchAll(DYNAMIC)) add(m[1]!, false, m.index);
  return edges;
}

/** Every production source file under src/ (what `npm run build` compiles), relative to root. */
export function productionFiles(root: string): string[] {
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .map((f) => `src/${f.split('\\').join('/')}`)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => !/\.(test|bench)\.ts$/.test(f) && !f.includes('/test-support/'));
  return files.sort();
}

/** The module a file under src/ belongs to (`src/dns/io/udp.ts` → `dns`), or undefined at src/ root. */
export function moduleOf(file: string): string | undefined {
  const m = /^src\/([^/]+)\//.exec(file);
  return m?.[1];
}

/** True for a file in an `io/` folder of its module. */
export function isIoFile(file: string): boolean {
  return /^src\/[^/]+\/io\//.test(file);
}

/**
 * The bare (package or node:) specifiers loaded at run time when `entry` is imported, following
 * relative value imports transitively; type-only imports load nothing and are not followed.
 */
export function runtimeClosure(
  root: string,
  entry: string,
): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.ts')) continue;
    for (const edge of importsOf(root, file)) {
      if (edge.typeOnly) continue;
      if (edge.target) queue.push(edge.target);
      else if (!edge.specifier.startsWith('.') && !packages.has(edge.specifier))
        packages.set(edge.specifier, file);
    }
  }
  return { files, packages };
}

/** One row of the dependency table in docs/architecture.md. */
export interface LayerRule {
  module: string;
  kind: 'pure' | 'shell';
  mayImport: string[];
}

/** The dependency table between `<!-- layering:begin -->` and `<!-- layering:end -->` in docs/architecture.md. */
export function readLayering(root: string): Map<string, LayerRule> {
  const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const m = /<!-- layering:begin -->([\s\S]*?)<!-- layering:end -->/.exec(text);
  if (!m)
    throw new Error('docs/architecture.md has no <!-- layering:begin --> … <!-- layering:end --> table');
  const rules = new Map<string, LayerRule>();
  for (const line of m[1]!.split('\n')) {
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 3 || !cells[0]!.startsWith('`')) continue;
    const names = (cell: string) => [...cell.matchAll(/`([a-z-]+)`/g)].map((x) => x[1]!);
    const kind = cells[1];
    if (kind !== 'pure' && kind !== 'shell') throw new Error(`layering table: bad kind "${kind}" in ${line}`);
    const module = names(cells[0]!)[0]!;
    rules.set(module, { module, kind, mayImport: names(cells[2]!) });
  }
  return rules;
}

/** The rows of the module-map diagram in docs/architecture.md: module → row number (0 = bottom). */
export function readDiagramRows(root: string): Map<string, number> {
  const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const rows = new Map<string, number>();
  for (const m of text.matchAll(/^ row (\d+) {3}(.*)$/gm)) {
    const names = m[2]!.split(/ {4,}/)[0]!.trim().split(/\s+/);
    for (const name of names) rows.set(name.replace(/\*$/, ''), Number(m[1]));
  }
  return rows;
}

/**
 * Packages and node: built-ins that do I/O (files, sockets, processes, threads, scheduling) or
 * talk to a database, a broker or a cloud: a pure module's root files must not load them.
 */
export function isIoPackage(specifier: string): boolean {
  const builtin = specifier.replace(/^node:/, '');
  if (
    /^(fs|fs\/promises|net|dgram|dns|dns\/promises|http|https|http2|tls|child_process|cluster|worker_threads|timers|timers\/promises|os|readline)$/.test(
      builtin,
    ) &&
    (specifier.startsWith('node:') || builtin === specifier)
  )
    return true;
  return /^(maxmind|ioredis|pg|better-sqlite3|nats|fastify|undici)($|\/)|^@aws-sdk\/|^@nats-io\//.test(
    specifier,
  );
}
