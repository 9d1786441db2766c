import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);

describe('monitor README', () => {
  it('configuration example is valid in a world file', () => {
    const [yaml] = blocks('yaml');
    const world = [
      'zone: example.test',
      'home: us-west-2',
      yaml!.replace('regions:\n', 'regions:\n  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }\n'),
    ].join('\n');
    const result = lintWorldText(world);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const eu = result.world!.regions.find((r) => r.name === 'eu-west-2')!;
    expect(eu.health).toEqual({ path: '/healthz', intervalMs: 100, timeoutMs: 100, rise: 2, fall: 2 });
  });

  it('the code example runs', async () => {
    const [ts] = blocks('ts');
    const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
    const code = ts!
      .replace("'meridian/monitor/io'", JSON.stringify(src('./io/index.ts')))
      .replace("'meridian/monitor'", JSON.stringify(src('./index.ts')))
      .replace("'meridian/world'", JSON.stringify(src('../world/index.ts')));
    const dir = mkdtempSync(join(tmpdir(), 'meridian-monitor-readme-'));
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
    expect(logged.flat().join(' ')).toContain('eu-west-2:unknown (drained)');
  });
});
