import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);

describe('fleet README', () => {
  it('configuration example is valid in a world file', () => {
    const [yaml] = blocks('yaml');
    const world = [
      'zone: example.test',
      'home: us-west-2',
      'regions:',
      '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }',
      yaml!,
    ].join('\n');
    const result = lintWorldText(world);
    expect(result.diagnostics).toEqual([]);
    expect(result.world!.vantages.map((v) => v.name)).toEqual(['oregon', 'frankfurt', 'singapore']);
  });

  it('the code example runs and prints what it says', async () => {
    const [ts] = blocks('ts');
    const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
    const code = ts!
      .replace("'meridian/fleet'", JSON.stringify(src('./index.ts')))
      .replace("'meridian/world'", JSON.stringify(src('../world/index.ts')));
    const dir = mkdtempSync(join(tmpdir(), 'meridian-fleet-readme-'));
    const file = join(dir, 'example.ts');
    writeFileSync(file, code);
    const logged: unknown[][] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logged.push(args);
    try {
      await import(file);
    } finally {
      console.log = log;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(logged.map((l) => l.join(' '))).toEqual(['eu-west-2 up disagreeing: frankfurt']);
    expect(ts).toContain('// eu-west-2 up disagreeing: frankfurt');
  });

  it('the CLI example names a world that exists and declares the vantage', () => {
    const [sh] = blocks('sh');
    const file = /meridian probe (\S+) --vantage (\S+)/.exec(sh!)!;
    const world = lintWorldText(readFileSync(new URL(`../../${file[1]}`, import.meta.url), 'utf8')).world!;
    expect(world.vantages.map((v) => v.name)).toContain(file[2]);
  });
});
