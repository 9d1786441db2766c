import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ensureSecretFile } from './ensure-secret-file.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('creates a secret once (mode 600) and then only reads it', () => {
  const path = join(dir, 'sub', 'token');
  const first = ensureSecretFile(path, () => 'one');
  const second = ensureSecretFile(path, () => 'two');
  expect(first).toEqual({ text: 'one', created: true });
  expect(second).toEqual({ text: 'one', created: false });
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(join(dir, 'sub'))).toEqual(['token']);
});
