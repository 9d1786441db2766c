// The embedded escrow default: objects are files under a directory, replaced by write + rename.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { MeridianError } from '../../core/index.js';
import type { EscrowStore, StoredObject } from '../escrow-store.js';

/** An EscrowStore in `root`. The ETag is a hash of the content, so it survives restarts. */
export function directoryEscrowStore(root: string): EscrowStore {
  const base = resolve(root);
  const pathOf = (key: string): string => {
    const p = resolve(join(base, key));
    if (!p.startsWith(base + sep)) {
      throw new MeridianError('MERIDIAN_CONFIG_BAD_KEY_PATH', `escrow key "${key}" leaves ${base}`);
    }
    return p;
  };
  return {
    kind: 'directory',
    async get(key, options): Promise<StoredObject> {
      let body: Buffer;
      try {
        body = await readFile(pathOf(key), { signal: options?.signal });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
        throw err;
      }
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      if (options?.ifNoneMatch === etag) return { kind: 'not-modified' };
      return { kind: 'found', body, etag };
    },
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(tmp, body, { flush: true });
        await rename(tmp, path);
      } catch (err) {
        await unlink(tmp).catch(() => {});
        throw err;
      }
    },
  };
}
