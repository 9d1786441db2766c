// The process's soft limit on open files (RLIMIT_NOFILE), read from /proc on Linux.
import { readFileSync } from 'node:fs';

/** The soft open-file limit, or undefined where it cannot be read or is unlimited. */
export function readOpenFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
