// The modification time of a file in whole seconds: the standalone SOA serial's candidate.
import { stat } from 'node:fs/promises';

/** `mtime` of `path` in seconds since the epoch (0 when it cannot be read: the load reports why). */
export async function modifiedSeconds(path: string): Promise<number> {
  try {
    return Math.floor((await stat(path)).mtimeMs / 1000);
  } catch {
    return 0;
  }
}
