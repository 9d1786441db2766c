import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

describe('dnssec README', () => {
  it('the example runs and prints what its last comment says', async () => {
    const ts = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const code = ts.replace(
      "'meridian/dnssec'",
      JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url))),
    );
    const dir = mkdtempSync(join(tmpdir(), 'meridian-dnssec-readme-'));
    const file = join(dir, 'example.ts');
    writeFileSync(file, code);
    const logged: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logged.push(args.join(' '));
    try {
      await import(file);
    } finally {
      console.log = log;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(logged).toEqual([
      ts
        .trimEnd()
        .split('\n')
        .at(-1)!
        .replace(/^\/\/ /, ''),
    ]);
  });
});
