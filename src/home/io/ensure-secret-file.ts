// One-machine defaults for secrets: read a file, or create it (mode 600, exclusive create so two
// processes starting together agree on one secret) when it does not exist yet.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The file's text; when missing, writes `make()` first. Returns whether it was created. */
export function ensureSecretFile(path: string, make: () => string): { text: string; created: boolean } {
  try {
    return { text: readFileSync(path, 'utf8'), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, make(), { mode: 0o600, flag: 'wx' });
    return { text: readFileSync(path, 'utf8'), created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { text: readFileSync(path, 'utf8'), created: false };
  }
}
