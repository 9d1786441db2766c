import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeSenderKey, deriveSenderKey } from '../../core/index.js';
import { regionKeyPath, writeRegionKeys } from './write-region-keys.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeRegionKeys', () => {
  it("writes each region's derived key, readable by its owner only, and rewrites it whole", () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'meridian-region-keys-')), 'region-keys');
    dirs.push(dir);
    const secret = 'a-request-secret-of-32-characters-or-more';
    expect(writeRegionKeys(dir, secret, ['eu-west-2', 'af-south-1'])).toEqual([
      regionKeyPath(dir, 'eu-west-2'),
      regionKeyPath(dir, 'af-south-1'),
    ]);
    const key = decodeSenderKey(readFileSync(regionKeyPath(dir, 'eu-west-2'), 'utf8'));
    expect(key?.equals(deriveSenderKey(secret, 'region:eu-west-2'))).toBe(true);
    expect(statSync(regionKeyPath(dir, 'eu-west-2')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    writeRegionKeys(dir, `${secret}-rotated`, ['eu-west-2']);
    const rotated = decodeSenderKey(readFileSync(regionKeyPath(dir, 'eu-west-2'), 'utf8'));
    expect(rotated?.equals(deriveSenderKey(`${secret}-rotated`, 'region:eu-west-2'))).toBe(true);
  });
});
