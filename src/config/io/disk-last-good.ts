// The on-disk last-good copy: one JSON file replaced by write + rename.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LastGoodCopy, LastGoodStore } from '../last-good-store.js';

/** A LastGoodStore in the file `path` (its directory is created on first save). */
export function diskLastGood(path: string): LastGoodStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        return undefined;
      }
      try {
        const v = JSON.parse(text) as { savedAtMs?: unknown; envelope?: unknown };
        if (typeof v.savedAtMs !== 'number' || typeof v.envelope !== 'string') return undefined;
        return { savedAtMs: v.savedAtMs, bytes: Buffer.from(v.envelope, 'base64') };
      } catch {
        return undefined;
      }
    },
    async save(copy: LastGoodCopy) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const text = JSON.stringify({
        savedAtMs: copy.savedAtMs,
        envelope: Buffer.from(copy.bytes).toString('base64'),
      });
      try {
        await writeFile(tmp, text, { flush: true });
        await rename(tmp, path);
      } catch (err) {
        await unlink(tmp).catch(() => {});
        throw err;
      }
    },
  };
}
