// Runs the README's examples against the sources, the way a reader would run them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'meridian-lab-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(code: string): string {
  const file = join(dir, `example-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(
    file,
    code.replace(/'meridian\/(\w+(?:\/io)?)'/g, (_m, mod: string) =>
      JSON.stringify(join(root, 'src', mod, 'index.ts')),
    ),
  );
  return execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
}

describe('lab README examples', () => {
  it('has three examples', () => {
    expect(examples).toHaveLength(3);
  });

  it('prints the RTT table of the default world', () => {
    const out = run(examples[0]!);
    expect(out).toMatch(/^path\s+rtt\s+source/);
    expect(out).toMatch(/cape-town → eu-west-2\s+160\.1 ms\s+measured 150\.1 \+ access 10\.0/);
  });

  it('prints a rollout timeline', () => {
    expect(run(examples[1]!).trim().split('\n')).toEqual([
      '0s rollout eu-west-2 0.1%',
      '20s rollout eu-west-2 1%',
      '40s rollout eu-west-2 5%',
      '60s rollout eu-west-2 25%',
      '80s rollout eu-west-2 100%',
    ]);
  });

  it('starts and stops a latency link', () => {
    expect(run(examples[2]!)).toMatch(/^curl http:\/\/127\.0\.0\.1:\d+\/$/m);
  });
});
