import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// package.json#exports mirrors the modules: one subpath per src/<module>/index.ts.
describe('package exports', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    exports: Record<string, string>;
  };

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

  it('exports every module that has an index.ts, except the CLI shell', () => {
    const modules = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(new URL(`./${d.name}/index.ts`, import.meta.url)))
      .map((d) => `./${d.name}`);
    const moduleExports = Object.keys(pkg.exports).filter((k) => !k.endsWith('/io'));
    expect(moduleExports.sort()).toEqual(modules.filter((m) => m !== './cli').sort());
  });
});
