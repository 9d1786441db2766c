// Writes each region's signing key (decision 0015) to `<dir>/<region>.key`, mode 600, whole
// (written aside, then renamed): what `meridian region` reads by default on the same machine,
// and what an operator copies to a region elsewhere.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveSenderKey, encodeSenderKey, regionSender } from '../../core/index.js';

/** The key file of `region` under `dir`. */
export function regionKeyPath(dir: string, region: string): string {
  return join(dir, `${region}.key`);
}

/** Writes the key of every region in `regions`, derived from `secret`; returns the paths. */
export function writeRegionKeys(dir: string, secret: string, regions: readonly string[]): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return regions.map((region) => {
    const path = regionKeyPath(dir, region);
    const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(aside, `${encodeSenderKey(deriveSenderKey(secret, regionSender(region)))}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    renameSync(aside, path);
    return path;
  });
}
