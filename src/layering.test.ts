// The import graph of src/ against the layering that docs/architecture.md promises (rules and
// reasons: docs/conventions.md#layering). Read statically from the sources: no build needed.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ImportEdge,
  importsOf,
  isIoFile,
  isIoPackage,
  moduleOf,
  productionFiles,
  readDiagramRows,
  readLayering,
} from '../scripts/import-graph.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const layering = readLayering(root);
const modules = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(new URL(`./${d.name}/README.md`, import.meta.url)))
  .map((d) => d.name);
const edges: ImportEdge[] = productionFiles(root).flatMap((f) => importsOf(root, f));

// Imports that break a rule today, each with the work that removes it (empty since the steering
// seam of issue 11 landed). The list only shrinks: the test fails when an entry stops happening.
const KNOWN_EXCEPTIONS: readonly string[] = [];

interface Violation {
  key: string;
  message: string;
}

function violations(): Violation[] {
  const found: Violation[] = [];
  const add = (e: ImportEdge, rule: string, fix: string) =>
    found.push({
      key: `${e.from} -> ${e.specifier}`,
      message: `${e.from}:${e.line} imports '${e.specifier}': ${rule}. Fix: ${fix}`,
    });
  for (const e of edges) {
    const from = moduleOf(e.from);
    const rule = from ? layering.get(from) : undefined;
    if (!from || !rule) continue;
    const pureFile = rule.kind === 'pure' && !isIoFile(e.from);
    // (a) pure files do no I/O, directly or through an io/ folder.
    if (pureFile && e.target && /^src\/[^/]+\/io\//.test(e.target))
      add(
        e,
        `a pure file of '${from}' depends on an io/ folder`,
        `move ${e.from} into src/${from}/io/, or take the adapter as a parameter (an interface at the root, the implementation in io/)`,
      );
    if (pureFile && !e.typeOnly && isIoPackage(e.specifier))
      add(
        e,
        `a pure file of '${from}' loads an I/O module`,
        `move the code that needs '${e.specifier}' into src/${from}/io/ and export it from src/${from}/io/index.ts`,
      );
    const to = e.target ? moduleOf(e.target) : undefined;
    if (!to || to === from) continue;
    // (b) other modules only through their public surface.
    if (!/^src\/[^/]+\/(io\/)?index\.ts$/.test(e.target!))
      add(
        e,
        `'${from}' reaches into '${to}' past its index.ts`,
        `export what you need from src/${to}/index.ts (or src/${to}/io/index.ts for an adapter) and import that`,
      );
    // (c) only the dependencies that the table allows.
    if (!rule.mayImport.includes(to))
      add(
        e,
        `'${from}' may not import '${to}' (docs/architecture.md allows: ${rule.mayImport.join(', ') || 'nothing'})`,
        layering.get(to)?.mayImport.includes(from)
          ? `the arrow would run back up ('${to}' imports '${from}'): move the shared part down, below both`
          : `depend on a module that the table allows, or change the table (and the diagram) in docs/architecture.md if the design changed`,
      );
  }
  return found;
}

describe('layering (docs/architecture.md)', () => {
  it('has a row in the dependency table for every module, naming only known modules', () => {
    for (const m of modules) expect([...layering.keys()], `add '${m}' to the table`).toContain(m);
    for (const rule of layering.values())
      for (const dep of rule.mayImport)
        expect([...layering.keys()], `${rule.module} may import unknown '${dep}'`).toContain(dep);
  });

  it('has no cycle in the table: no arrow runs back up', () => {
    const state = new Map<string, 'open' | 'done'>();
    const visit = (m: string, path: string[]): void => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open')
        throw new Error(`cycle in the layering table: ${[...path, m].join(' → ')}`);
      state.set(m, 'open');
      for (const dep of layering.get(m)?.mayImport ?? []) visit(dep, [...path, m]);
      state.set(m, 'done');
    };
    for (const m of layering.keys()) visit(m, []);
  });

  it('draws the module map with every arrow pointing down, as the table says', () => {
    const rows = readDiagramRows(root);
    for (const rule of layering.values()) {
      expect(rows.has(rule.module), `'${rule.module}' is missing from the module map`).toBe(true);
      for (const dep of rule.mayImport)
        expect(
          rows.get(dep)! < rows.get(rule.module)!,
          `${rule.module} (row ${rows.get(rule.module)}) imports ${dep} (row ${rows.get(dep)}): draw ${dep} on a lower row`,
        ).toBe(true);
    }
  });

  it('holds every production import to the rules (pure roots, public surfaces, allowed arrows)', () => {
    const found = violations().filter((v) => !KNOWN_EXCEPTIONS.includes(v.key));
    expect(found.map((v) => v.message)).toEqual([]);
  });

  it('still needs every known exception (remove the ones that no longer occur)', () => {
    const keys = new Set(violations().map((v) => v.key));
    expect(KNOWN_EXCEPTIONS.filter((k) => !keys.has(k))).toEqual([]);
  });
});
