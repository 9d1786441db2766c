// The world-file examples in the dns, policy and gslb READMEs are valid world files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';

const readmes = ['src/dns/README.md', 'src/policy/README.md', 'src/gslb/README.md'];

describe('README examples', () => {
  for (const path of readmes) {
    const text = readFileSync(path, 'utf8');
    const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    it(`${path} has YAML examples and each lints clean`, () => {
      expect(blocks.length).toBeGreaterThan(0);
      for (const yaml of blocks) {
        const r = lintWorldText(yaml, path);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.world).toBeDefined();
      }
    });
  }

  it('the gslb README documents the defaults the code uses', async () => {
    const { DEFAULT_ADMIN, DEFAULT_LISTEN } = await import('./gslb.js');
    const text = readFileSync('src/gslb/README.md', 'utf8');
    const row = (option: string, value: string) =>
      new RegExp(`\\| \`${option}\`\\s*\\| \`${value.replaceAll('.', '\\.')}\``);
    expect(text).toMatch(row('--listen', `${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}`));
    expect(text).toMatch(row('--admin', `${DEFAULT_ADMIN.host}:${DEFAULT_ADMIN.port}`));
  });
});
