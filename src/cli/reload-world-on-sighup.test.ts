import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../world/index.js';
import type { CliIo } from './cli-io.js';
import { reloadWorldOnSighup } from './reload-world-on-sighup.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-sighup-'));
const file = join(dir, 'meridian.yaml');
const minimal = readFileSync('examples/minimal.yaml', 'utf8');
const withNetworks = (n: number) =>
  minimal.replace(
    'networks:\n',
    `networks:\n${Array.from(
      { length: n },
      (_, i) =>
        `  - { name: n${i}, cidr: 100.${64 + (i >> 8)}.${i & 255}.0/24, location: { lat: 1, lon: 2 } }`,
    ).join('\n')}\n`,
  );
const put = (text: string) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};

let stop: (() => void) | undefined;
afterEach(() => stop?.());

function install() {
  const lines: string[] = [];
  const adopted: World[] = [];
  const io: CliIo = { out: () => {}, err: (l) => lines.push(l), setExitCode: () => {} };
  stop = reloadWorldOnSighup(
    file,
    'region r',
    (w) => {
      adopted.push(w);
      return { adopted: true, restartNeeded: [] };
    },
    io,
  );
  return { lines, adopted };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const end = Date.now() + 60_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('reloadWorldOnSighup', () => {
  it('keeps the event loop turning while it reads a large world, then adopts it', async () => {
    put(withNetworks(5_000));
    const { lines, adopted } = install();
    let turns = 0;
    const spin = () => {
      turns += 1;
      if (lines.length === 0) setImmediate(spin);
    };
    setImmediate(spin);
    process.emit('SIGHUP');
    await until('the reload', () => lines.length > 0);
    expect(lines).toEqual([expect.stringMatching(/^region r: world reloaded \([0-9a-f]{12}\)$/)]);
    expect(adopted[0]?.networks).toHaveLength(5_003);
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('ignores an invalid or unreadable file, saying why, and reloads one signal at a time', async () => {
    const { lines, adopted } = install();
    put(minimal.replace('home: us-west-2', 'home: atlantis'));
    process.emit('SIGHUP');
    await until('the first reload', () => lines.length === 1);
    put(minimal);
    process.emit('SIGHUP');
    process.emit('SIGHUP');
    await until('two more reloads', () => lines.length === 3);
    expect(lines[0]).toMatch(
      /^region r: world reload ignored, the running world stays: world file .* is invalid \(4 errors\):\n.*home-not-a-region/,
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/world reloaded/),
      expect.stringMatching(/world reloaded/),
    ]);
    expect(adopted).toHaveLength(2);
  });
});
