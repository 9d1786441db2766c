import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isIoPackage, readLayering, runtimeClosure } from '../scripts/import-graph.js';

// package.json#exports mirrors the modules: one subpath per src/<module>/index.ts, and one per
// src/<module>/io/index.ts for its adapters (`meridian/world/io`, as Hono keeps `hono/bun` apart).
const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  exports: Record<string, string>;
};
const modules = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(new URL(`./${d.name}/index.ts`, import.meta.url)))
  .map((d) => d.name);

// Pure modules whose root entry still loads I/O, and what it loads (empty since the steering
// seam of issue 11 landed). The list only shrinks: the test fails when an entry no longer
// happens, so that it is removed with the fix.
const KNOWN_IO_IN_PURE_ENTRIES: Record<string, string[]> = {};

describe('package exports', () => {
  it('maps each subpath to the compiled index of a module (or of its io adapters) that exists', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      expect(subpath).toMatch(/^\.\/[a-z-]+(\/io)?$/);
      const module = subpath.slice(2);
      expect(target).toBe(`./dist/${module}/index.js`);
      expect(existsSync(new URL(`./${module}/index.ts`, import.meta.url)), `src/${module}/index.ts`).toBe(
        true,
      );
    }
  });

  it('exports every module that has an index.ts, except the CLI shell, and every io/index.ts', () => {
    const moduleExports = Object.keys(pkg.exports).filter((k) => !k.endsWith('/io'));
    expect(moduleExports.sort()).toEqual(
      modules
        .filter((m) => m !== 'cli')
        .map((m) => `./${m}`)
        .sort(),
    );
    const ioExports = Object.keys(pkg.exports).filter((k) => k.endsWith('/io'));
    const ioIndexes = modules.filter((m) => existsSync(new URL(`./${m}/io/index.ts`, import.meta.url)));
    expect(ioExports.sort()).toEqual(ioIndexes.map((m) => `./${m}/io`).sort());
  });

  it('resolves every subpath to a built file (after `npm run build`)', () => {
    const require = createRequire(new URL('../package.json', import.meta.url));
    for (const subpath of Object.keys(pkg.exports)) {
      const specifier = `${pkg.name}/${subpath.slice(2)}`;
      const file = require.resolve(specifier);
      expect(existsSync(file), `${specifier} → ${file}: run \`npm run build\``).toBe(true);
    }
  });

  const layering = readLayering(root);
  const pure = modules.filter((m) => layering.get(m)?.kind === 'pure');

  it.each(pure)('importing meridian/%s loads no I/O (no node:fs/net/…, no driver or SDK)', (module) => {
    const { packages } = runtimeClosure(root, `src/${module}/index.ts`);
    const loaded = [...packages.keys()].filter(isIoPackage).sort();
    const known = KNOWN_IO_IN_PURE_ENTRIES[module] ?? [];
    const unexpected = loaded.filter((p) => !known.includes(p));
    expect(
      unexpected.map((p) => `${p} (imported by ${packages.get(p)})`),
      `meridian/${module} must stay pure: move the adapter to src/${module}/io/ and export it from src/${module}/io/index.ts (meridian/${module}/io)`,
    ).toEqual([]);
    const gone = known.filter((p) => !loaded.includes(p));
    expect(
      gone,
      `meridian/${module} no longer loads these: remove them from KNOWN_IO_IN_PURE_ENTRIES`,
    ).toEqual([]);
  });

  it('knows every module of the layering table as a module of src/', () => {
    for (const module of Object.keys(KNOWN_IO_IN_PURE_ENTRIES)) expect(pure).toContain(module);
  });
});
