// The module READMEs: their YAML examples lint, and their Errors tables list every code thrown.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';

function sources(dir: URL): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => readFileSync(new URL(f, dir), 'utf8'))
    .join('\n');
}

describe.each(['audit', 'terraform'])('src/%s/README.md', (module) => {
  const dir = new URL(`../${module}/`, import.meta.url);
  const readme = readFileSync(new URL('README.md', dir), 'utf8');

  it('lists every error code the module throws', () => {
    const thrown = new Set(sources(dir).match(/MERIDIAN_[A-Z]+_[A-Z_]+/g) ?? []);
    for (const code of thrown) expect(readme).toContain(code);
  });

  it('has world examples that lint clean', () => {
    for (const m of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
      const result = lintWorldText(m[1]!);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  });
});
