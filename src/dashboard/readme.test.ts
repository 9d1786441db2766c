// Runs the README's example against the sources, the way a reader would run it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'meridian-dashboard-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dashboard README example', () => {
  it('prints the drain marker it says', () => {
    expect(examples).toHaveLength(1);
    const file = join(dir, 'example.mts');
    writeFileSync(
      file,
      examples[0]!.replace(/'meridian\/(\w+)'/g, (_m, mod: string) =>
        JSON.stringify(join(root, 'src', mod, 'index.ts')),
      ),
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe('drain: eu-west-2 drained by the operator');
  });
});
