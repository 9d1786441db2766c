// Reads a world file's text, refusing what is not a regular file (a FIFO would block the read
// forever, /dev/zero would never end) and anything over a size limit, checked before reading
// and again while reading (a file can grow, and /proc files say they are empty).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { MeridianError } from '../../core/index.js';

/** The default limit: 16 MiB, about ten times a world with 20 000 networks. */
export const DEFAULT_WORLD_MAX_BYTES = 16 * 1024 * 1024;

export interface ReadWorldFileOptions {
  /** The largest file accepted, in bytes (default: MERIDIAN_WORLD_MAX_BYTES, else 16 MiB). */
  readonly maxBytes?: number;
  /** Where MERIDIAN_WORLD_MAX_BYTES is read (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The size limit in force: `maxBytes`, else MERIDIAN_WORLD_MAX_BYTES, else the default. */
export function worldMaxBytes(options: ReadWorldFileOptions = {}): number {
  if (options.maxBytes !== undefined) return options.maxBytes;
  const text = (options.env ?? process.env).MERIDIAN_WORLD_MAX_BYTES;
  if (text === undefined || text === '') return DEFAULT_WORLD_MAX_BYTES;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0)) {
    throw new MeridianError(
      'MERIDIAN_WORLD_MAX_BYTES_INVALID',
      `MERIDIAN_WORLD_MAX_BYTES "${text}" is not a whole number of bytes; set it like 33554432 (32 MiB), or unset it for the default of ${DEFAULT_WORLD_MAX_BYTES} (16 MiB)`,
    );
  }
  return value;
}

/** The file's text (UTF-8); throws MERIDIAN_WORLD_UNREADABLE, _NOT_A_FILE or _TOO_LARGE. */
export function readWorldFile(path: string, options: ReadWorldFileOptions = {}): string {
  const maxBytes = worldMaxBytes(options);
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer; no effect on a file.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw notAFile(path, 'a directory');
    throw unreadable(path, err);
  }
  try {
    let stats: Stats;
    try {
      stats = fstatSync(fd);
    } catch (err) {
      throw unreadable(path, err);
    }
    if (!stats.isFile()) throw notAFile(path, kindOf(stats));
    if (stats.size > maxBytes)
      throw tooLarge(path, `is ${stats.size} bytes, more than the limit of ${maxBytes} bytes`);
    // One byte more than the limit tells a file that grew past it from one that fits exactly.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes, stats.size) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (err) {
        throw unreadable(path, err);
      }
      if (n === 0) break;
      length += n;
      if (length > maxBytes)
        throw tooLarge(path, `grew past the limit of ${maxBytes} bytes while it was read`);
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function notAFile(path: string, kind: string): MeridianError {
  return new MeridianError(
    'MERIDIAN_WORLD_NOT_A_FILE',
    `world file ${path} is not a regular file (${kind}); give the path of a YAML file`,
  );
}

function tooLarge(path: string, what: string): MeridianError {
  return new MeridianError(
    'MERIDIAN_WORLD_TOO_LARGE',
    `world file ${path} ${what}; check that this is the world file, or raise the limit with MERIDIAN_WORLD_MAX_BYTES`,
  );
}

function unreadable(path: string, err: unknown): MeridianError {
  const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
  return new MeridianError('MERIDIAN_WORLD_UNREADABLE', `cannot read world file ${path}: ${reason}`, {
    cause: err,
  });
}
