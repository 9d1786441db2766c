import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from './lint-world.js';

// The README's world examples must stay valid against the real schema and rules.
describe('world README', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

  it('has YAML examples, and each lints clean', () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(lintWorldText(block).diagnostics).toEqual([]);
  });

  it('shows the diagnostic the TypeScript example promises', () => {
    expect(lintWorldText('zone: example.test\nhome: x\nregions: {}\n').diagnostics[0]).toMatchObject({
      code: 'home-not-a-region',
      path: 'home',
      line: 2,
      column: 7,
    });
  });
});
