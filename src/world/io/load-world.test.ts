import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD_MAX_BYTES, lintWorldFile, loadWorld } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-load-world-'));
const minimal = readFileSync('examples/minimal.yaml', 'utf8');

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('reading a world file', () => {
  it('reads and lints a regular file within the limit', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, minimal);
    expect(loadWorld(file).zone).toBe('example.test');
    expect(lintWorldFile(file, { maxBytes: minimal.length }).world?.zone).toBe('example.test');
  });

  it('refuses a file larger than the limit before reading it, saying how to raise it', () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, minimal);
    expect(() => lintWorldFile(file, { maxBytes: 100 })).toThrow(
      /world file .*big\.yaml is \d+ bytes, more than the limit of 100 bytes.*MERIDIAN_WORLD_MAX_BYTES/,
    );
    expect(codeOf(() => lintWorldFile(file, { maxBytes: 100 }))).toBe('MERIDIAN_WORLD_TOO_LARGE');
  });

  it('has a 16 MiB default limit, checked before reading (a sparse file is not read)', () => {
    expect(DEFAULT_WORLD_MAX_BYTES).toBe(16 * 1024 * 1024);
    const file = join(dir, 'sparse.yaml');
    writeFileSync(file, '');
    truncateSync(file, DEFAULT_WORLD_MAX_BYTES + 1);
    expect(codeOf(() => loadWorld(file))).toBe('MERIDIAN_WORLD_TOO_LARGE');
  });

  it('enforces the limit while reading, for a file larger than its size says (/proc)', () => {
    // /proc files report size 0 and then read as much as they hold
    expect(codeOf(() => lintWorldFile('/proc/self/status', { maxBytes: 64 }))).toBe(
      'MERIDIAN_WORLD_TOO_LARGE',
    );
  });

  it('takes the limit from MERIDIAN_WORLD_MAX_BYTES, and refuses a value that is not a byte count', () => {
    const file = join(dir, 'env.yaml');
    writeFileSync(file, minimal);
    const env = { MERIDIAN_WORLD_MAX_BYTES: '100' };
    expect(codeOf(() => lintWorldFile(file, { env }))).toBe('MERIDIAN_WORLD_TOO_LARGE');
    expect(lintWorldFile(file, { env: { MERIDIAN_WORLD_MAX_BYTES: '1048576' } }).world).toBeDefined();
    expect(() => lintWorldFile(file, { env: { MERIDIAN_WORLD_MAX_BYTES: '16MB' } })).toThrow(
      /MERIDIAN_WORLD_MAX_BYTES "16MB" is not a whole number of bytes/,
    );
  });

  it('refuses a directory and a device as not a regular file', () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    expect(codeOf(() => lintWorldFile(sub))).toBe('MERIDIAN_WORLD_NOT_A_FILE');
    expect(() => lintWorldFile('/dev/null')).toThrow(
      /\/dev\/null is not a regular file \(a character device\)/,
    );
  });

  it('says a missing file is missing', () => {
    expect(codeOf(() => lintWorldFile(join(dir, 'nope.yaml')))).toBe('MERIDIAN_WORLD_UNREADABLE');
  });
});
