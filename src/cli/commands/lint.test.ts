// `meridian lint` on the workloads a world names: the example profiles world is clean, and a
// served hostname naming a workload Meridian does not run is an error that says which it runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { main } from '../main.js';

const PROFILES = fileURLToPath(new URL('../../../examples/profiles.yaml', import.meta.url));

async function lint(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  let exit = 0;
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: (c) => (exit = c) };
  await main(['lint', file], io);
  return { exit, out: out.join('\n'), err: err.join('\n') };
}

describe('meridian lint: workloads', () => {
  it('passes examples/profiles.yaml', async () => {
    expect(await lint(PROFILES)).toEqual({ exit: 0, out: '', err: `${PROFILES}: ok` });
  });

  it('refuses a served hostname whose workload Meridian does not run, naming those it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-lint-workload-'));
    try {
      const file = join(dir, 'meridian.yaml');
      writeFileSync(
        file,
        readFileSync(PROFILES, 'utf8')
          .replace('workload: profiles', 'workload: notes')
          .replace(/^ {2}profiles:$/m, '  notes:'),
      );
      const r = await lint(file);
      expect(r.exit).toBe(1);
      expect(r.out).toContain('error unknown-workload hostnames.profiles.workload');
      expect(r.out).toContain('"notes", which Meridian does not run (it runs links, profiles)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
