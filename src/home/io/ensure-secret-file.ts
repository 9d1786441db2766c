// One-machine defaults for secrets: read a file, or create it (mode 600) when it does not exist
// yet. The file appears whole (written aside, then hard-linked into place), so two processes
// starting together agree on one secret and neither reads a half-written file.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The file's text; when missing, writes `make()` first. Returns whether this call created it. */
export function ensureSecretFile(path: string, make: () => string): { text: string; created: boolean } {
  try {
    return { text: readFileSync(path, 'utf8'), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(aside, make(), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(aside, path);
    return { text: readFileSync(path, 'utf8'), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { text: readFileSync(path, 'utf8'), created: false };
  } finally {
    unlinkSync(aside);
  }
}
