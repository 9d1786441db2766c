import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every module has a README with the same sections, in order (CONVENTIONS.md); a module may add
// sections of its own between them.
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
  .filter((d) => d.isDirectory() && existsSync(new URL(`./${d.name}/index.ts`, import.meta.url)))
  .map((d) => d.name);

describe.each(modules)('src/%s/README.md', (module) => {
  it('exists with the standard sections in order', () => {
    const path = new URL(`./${module}/README.md`, import.meta.url);
    expect(existsSync(path)).toBe(true);
    const text = readFileSync(path, 'utf8').replace(/```[\s\S]*?```/g, '');
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());
    expect(headings.filter((h) => SECTIONS.includes(h))).toEqual(SECTIONS);
  });
});
