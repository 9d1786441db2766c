import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSessionKeysFromEnv, loadSessionKeysFromFile } from './load-session-keys.js';

const text = `active 1\nkey 1 ${Buffer.alloc(32, 7).toString('base64')}\n`;
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('loadSessionKeys', () => {
  it('loads a private key file and refuses one others can read', () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-keys-'));
    const path = join(dir, 'session.keys');
    writeFileSync(path, text, { mode: 0o600 });
    expect(loadSessionKeysFromFile(path).active.id).toBe(1);
    chmodSync(path, 0o644);
    expect(() => loadSessionKeysFromFile(path)).toThrow(/readable by other users.*chmod 600/);
    expect(loadSessionKeysFromFile(path, { allowGroupOrWorldReadable: true }).active.id).toBe(1);
  });

  it('says which file is missing', () => {
    expect(() => loadSessionKeysFromFile('/nonexistent/session.keys')).toThrow(
      /cannot read session key file \/nonexistent\/session.keys/,
    );
  });

  it('loads from the environment and says how to set it when unset', () => {
    expect(loadSessionKeysFromEnv({ MERIDIAN_SESSION_KEYS: text.replace('\n', ';') }).active.id).toBe(1);
    expect(() => loadSessionKeysFromEnv({})).toThrow(/MERIDIAN_SESSION_KEYS is not set; set it to/);
    expect(() => loadSessionKeysFromEnv({ K: 'key 1 AAAA' }, 'K')).toThrow(
      /environment variable K.*at least 32/,
    );
  });
});
