// Watches a file for changes (editors replace files: we watch the directory), debounced.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Calls `onChange` once per burst of changes to `path`; returns a stop function. */
export function watchFile(path: string, onChange: () => void, debounceMs = 200): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file !== null && file.toString() !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onChange();
      }, debounceMs);
      timer.unref();
    });
    watcher.on('error', () => {});
  } catch {
    // no watching on this file system: SIGHUP still reloads
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
