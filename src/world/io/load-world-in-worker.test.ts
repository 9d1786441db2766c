import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWorldFile, lintWorldFileInWorker, loadWorldInWorker } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-world-worker-'));
const minimal = readFileSync('examples/minimal.yaml', 'utf8');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** examples/minimal.yaml with `n` more networks (and `broken` hostnames naming no workload). */
function bigWorld(n: number, broken = 0): string {
  const nets = range(n)
    .map(
      (i) =>
        `  - { name: n${i}, cidr: 100.${64 + (i >> 8)}.${i & 255}.0/24, location: { lat: 1, lon: ${i % 90} } }`,
    )
    .join('\n');
  const bad = range(broken)
    .map((i) => `  bad${i}: { workload: missing${i} }`)
    .join('\n');
  return minimal
    .replace('networks:\n', `networks:\n${nets}\n`)
    .replace('hostnames:\n', broken ? `hostnames:\n${bad}\n` : 'hostnames:\n');
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('loading a world in a worker thread', () => {
  it('gives the same frozen world as loading it here, networks and all', async () => {
    const path = file('big.yaml', bigWorld(2500));
    const here = lintWorldFile(path).world!;
    const there = await loadWorldInWorker(path, { chunkSize: 300 });
    expect(there).toEqual(here);
    expect(there.networks).toHaveLength(2503);
    expect(there.hash).toBe(here.hash);
    expect(Object.isFrozen(there)).toBe(true);
    expect(Object.isFrozen(there.networks)).toBe(true);
    expect(Object.isFrozen(there.networks[2000]!.cidr)).toBe(true);
  });

  it('gives every diagnostic of an invalid world, in order, and no world', async () => {
    const path = file('broken.yaml', bigWorld(10, 1234));
    const here = lintWorldFile(path);
    const there = await lintWorldFileInWorker(path, { chunkSize: 100 });
    expect(there.world).toBeUndefined();
    expect(there.diagnostics).toHaveLength(1234);
    expect(there.diagnostics).toEqual(here.diagnostics);
    await expect(loadWorldInWorker(path)).rejects.toThrow(/is invalid \(1234 errors\)/);
    const capped = await loadWorldInWorker(path, { maxErrorsListed: 3 }).catch((err: Error) => err.message);
    expect(String(capped).split('\n')).toEqual([
      `world file ${path} is invalid (1234 errors):`,
      expect.stringContaining('bad0.workload'),
      expect.stringContaining('bad1.workload'),
      expect.stringContaining('bad2.workload'),
      `  … and 1231 more; \`meridian lint ${path}\` lists every one`,
    ]);
  });

  it('takes the result one chunk per turn of the event loop', async () => {
    const path = file('turns.yaml', bigWorld(2000));
    let turns = 0;
    let loading = true;
    const spin = () => {
      turns += 1;
      if (loading) setImmediate(spin);
    };
    setImmediate(spin);
    const world = await loadWorldInWorker(path, { chunkSize: 100 });
    loading = false;
    expect(world.networks).toHaveLength(2003);
    // 21 chunks of networks, each taken on its own turn
    expect(turns).toBeGreaterThanOrEqual(21);
  });

  it('reports what the file is: missing, not a regular file, too large', async () => {
    expect(await codeOf(loadWorldInWorker(join(dir, 'nope.yaml')))).toBe('MERIDIAN_WORLD_UNREADABLE');
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(await codeOf(loadWorldInWorker(fifo))).toBe('MERIDIAN_WORLD_NOT_A_FILE');
    expect(await codeOf(loadWorldInWorker('/dev/zero'))).toBe('MERIDIAN_WORLD_NOT_A_FILE');
    const path = file('small.yaml', minimal);
    expect(await codeOf(loadWorldInWorker(path, { maxBytes: 100 }))).toBe('MERIDIAN_WORLD_TOO_LARGE');
  });

  it('stops the worker when the signal aborts', async () => {
    const path = file('abort.yaml', bigWorld(2000));
    const controller = new AbortController();
    const loading = loadWorldInWorker(path, { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(loading).rejects.toThrow('shutting down');
  });
});
