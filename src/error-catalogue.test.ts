import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildErrorsDoc } from '../scripts/errors-doc.js';

// Every error code thrown anywhere in src/ is listed in docs/errors.md, and vice versa.
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'testdata' ? [] : sourceFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  const src = fileURLToPath(new URL('.', import.meta.url));
  const thrown = new Set(
    sourceFiles(src).flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/'(MERIDIAN_[A-Z0-9_]+)'/g)].map((m) => m[1]!),
    ),
  );
  const documented = new Set(
    [
      ...readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8').matchAll(
        /^\| `(MERIDIAN_[A-Z0-9_]+)`/gm,
      ),
    ].map((m) => m[1]!),
  );

  it('lists every code the code can throw', () => {
    expect([...thrown].filter((c) => !documented.has(c)).sort()).toEqual([]);
  });

  it('is generated from the module READMEs (run `npm run docs:errors`)', () => {
    expect(readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')).toBe(
      buildErrorsDoc(new URL('./', import.meta.url)),
    );
  });

  it('lists no code that nothing throws', () => {
    expect([...documented].filter((c) => !thrown.has(c)).sort()).toEqual([]);
  });
});
