// The embedded escrow default: objects are files under a directory, replaced by write + rename.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { MeridianError } from '../../core/index.js';
import type { EscrowStore, StoredObject } from '../escrow-store.js';

/**
 * An EscrowStore in `root`. The ETag is derived from the file's identity (inode, size and
 * modification time in nanoseconds), so a conditional or over-size read is one `fstat` and
 * never reads the file. Every `put` writes a new file and renames it over the old one, so it
 * always changes the ETag (the new file has another inode while the old one still exists).
 */
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
      options?.signal?.throwIfAborted();
      let file: FileHandle;
      try {
        file = await open(pathOf(key), 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
        throw err;
      }
      try {
        const st = await file.stat({ bigint: true });
        const etag = `"${st.ino.toString(36)}-${st.size.toString(36)}-${st.mtimeNs.toString(36)}"`;
        if (options?.ifNoneMatch === etag) return { kind: 'not-modified' };
        const size = Number(st.size);
        if (options?.maxBytes !== undefined && size > options.maxBytes) {
          return { kind: 'too-large', size, etag };
        }
        const body = await file.readFile({ signal: options?.signal });
        return { kind: 'found', body, etag };
      } finally {
        await file.close();
      }
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
