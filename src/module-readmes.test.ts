import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every module has a README with the same sections, in order, and an Errors section that lists
// every code the module throws (docs/conventions.md#module-readmes); a module may add sections
// of its own between them. Its examples run in src/readme-examples.test.ts.
const SECTIONS = [
  'Name',
  'Description',
  'Configuration',
  'Metrics and events',
  'Errors',
  'Examples',
  'See also',
];

const modules = readdirSync(new URL('.', import.meta.url), { withFileTypes: true })
  .filter(
    (d) =>
      d.isDirectory() && (existsSync(new URL(`./${d.name}/index.ts`, import.meta.url)) || d.name === 'cli'),
  )
  .map((d) => d.name);

describe.each(modules)('src/%s/README.md', (module) => {
  it('exists with the standard sections in order', () => {
    const path = new URL(`./${module}/README.md`, import.meta.url);
    expect(existsSync(path)).toBe(true);
    const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
    expect(headings.filter((h) => SECTIONS.includes(h))).toEqual(SECTIONS);
  });

  it('lists every error code the module throws', () => {
    const dir = new URL(`./${module}/`, import.meta.url);
    const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support'))
      .map((f) => readFileSync(join(dir.pathname, f), 'utf8'))
      .join('\n');
    const listed = (m: string, code: string) =>
      readFileSync(new URL(`./${m}/README.md`, import.meta.url), 'utf8').includes(`\`${code}\``);
    // A code named after another module (MERIDIAN_REGION_… thrown by the CLI), or the shared
    // MERIDIAN_USAGE of the CLI, may be listed by the module it names instead.
    const owner = (code: string) =>
      code === 'MERIDIAN_USAGE'
        ? 'cli'
        : modules.find((m) => code.startsWith(`MERIDIAN_${m.toUpperCase().replaceAll('-', '_')}_`));
    const thrown = new Set([...sources.matchAll(/'(MERIDIAN_[A-Z0-9_]+)'/g)].map((m) => m[1]!));
    const missing = [...thrown].filter((code) => {
      const other = owner(code);
      return !listed(module, code) && !(other && listed(other, code));
    });
    expect(missing, `add these to the Errors table of src/${module}/README.md`).toEqual([]);
  });
});
