// The field kinds a session row is made of, each with its packed binary codec.
import { MeridianError } from '../core/index.js';

/** Where a decoder reads from; `offset` moves forward as fields are read. */
export interface ByteCursor {
  readonly bytes: Uint8Array;
  offset: number;
  /** Reads stop here. */
  readonly end: number;
}

/**
 * One field of a session row. `describe` is its canonical text (part of the format's
 * fingerprint, so two formats that differ in any field never accept each other's IDs).
 * `decode` returns `undefined` when the bytes are not a valid value of the field.
 */
export interface SessionField<T> {
  readonly kind: 'string' | 'uint' | 'enum' | 'timestamp' | 'bytes' | 'flags';
  readonly describe: string;
  /** Largest encoded size in bytes. */
  readonly maxBytes: number;
  /** Throws MERIDIAN_SESSION_BAD_ROW with `path` in the message when `value` does not fit. */
  check(value: unknown, path: string): T;
  /** Encoded size of a checked value. */
  size(value: T): number;
  /** Writes a checked value at `offset`; returns the offset after it. */
  write(value: T, out: Uint8Array, offset: number): number;
  read(cursor: ByteCursor): T | undefined;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 (undefined on invalid sequences); ASCII takes a faster path in `read`. */
function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  try {
    return strictDecoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

function badRow(path: string, what: string): MeridianError {
  return new MeridianError('MERIDIAN_SESSION_BAD_ROW', `session field "${path}" ${what}`);
}

function badDefinition(what: string): MeridianError {
  return new MeridianError('MERIDIAN_SESSION_BAD_FORMAT', `session format: ${what}`);
}

function wholeInRange(n: number, lo: number, hi: number): boolean {
  return Number.isInteger(n) && n >= lo && n <= hi;
}

/** A UTF-8 string of at most `maxBytes` bytes (1–255), stored with a one-byte length. */
function string(options: { maxBytes: number }): SessionField<string> {
  const max = options.maxBytes;
  if (!wholeInRange(max, 1, 255)) throw badDefinition(`string maxBytes must be 1–255, got ${max}`);
  return {
    kind: 'string',
    describe: `string(${max})`,
    maxBytes: max + 1,
    check(value, path) {
      if (typeof value !== 'string') throw badRow(path, 'must be a string');
      const n = encoder.encode(value).length;
      if (n > max) throw badRow(path, `is ${n} bytes of UTF-8; the format allows at most ${max}`);
      return value;
    },
    size: (value) => 1 + encoder.encode(value).length,
    write(value, out, offset) {
      const { written } = encoder.encodeInto(value, out.subarray(offset + 1));
      out[offset] = written;
      return offset + 1 + written;
    },
    read(c) {
      const n = c.offset < c.end ? c.bytes[c.offset] : undefined;
      if (n === undefined || n > max || c.offset + 1 + n > c.end) return undefined;
      const start = c.offset + 1;
      const end = start + n;
      c.offset = end;
      let text = '';
      for (let i = start; i < end; i++) {
        const b = c.bytes[i] as number;
        if (b >= 0x80) return decodeUtf8(c.bytes, start, end);
        text += String.fromCharCode(b);
      }
      return text;
    },
  };
}

/** A whole number from 0 to `max` (at most 2^48 − 1), stored big-endian in as few bytes as `max` needs. */
function uint(options: { max: number } = { max: 0xffff_ffff }): SessionField<number> {
  const max = options.max;
  if (!wholeInRange(max, 1, 2 ** 48 - 1)) throw badDefinition(`uint max must be 1 to 2^48-1, got ${max}`);
  let width = 1;
  while (2 ** (8 * width) - 1 < max) width++;
  return {
    kind: 'uint',
    describe: `uint(${max})`,
    maxBytes: width,
    check(value, path) {
      if (typeof value !== 'number' || !wholeInRange(value, 0, max)) {
        throw badRow(path, `must be a whole number from 0 to ${max}, got ${String(value)}`);
      }
      return value;
    },
    size: () => width,
    write(value, out, offset) {
      let v = value;
      for (let i = width - 1; i >= 0; i--) {
        out[offset + i] = v % 256;
        v = Math.floor(v / 256);
      }
      return offset + width;
    },
    read(c) {
      if (c.offset + width > c.end) return undefined;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + (c.bytes[c.offset + i] as number);
      c.offset += width;
      return v <= max ? v : undefined;
    },
  };
}

/** One of up to 256 names, stored as its index in one byte. */
function enumOf<const V extends string>(values: readonly V[]): SessionField<V> {
  if (values.length < 1 || values.length > 256) throw badDefinition('enum needs 1–256 values');
  if (new Set(values).size !== values.length) throw badDefinition(`enum values repeat: ${values.join(', ')}`);
  const index = new Map<string, number>(values.map((v, i) => [v, i]));
  return {
    kind: 'enum',
    describe: `enum(${values.map((v) => JSON.stringify(v)).join(',')})`,
    maxBytes: 1,
    check(value, path) {
      if (typeof value !== 'string' || !index.has(value)) {
        throw badRow(path, `must be one of ${values.join(', ')}, got ${String(value)}`);
      }
      return value as V;
    },
    size: () => 1,
    write(value, out, offset) {
      out[offset] = index.get(value) as number;
      return offset + 1;
    },
    read(c) {
      const i = c.offset < c.end ? c.bytes[c.offset] : undefined;
      if (i === undefined || i >= values.length) return undefined;
      c.offset += 1;
      return values[i];
    },
  };
}

/**
 * A point in time as milliseconds since the Unix epoch, stored as whole seconds in four bytes
 * (1970 to 2106). Milliseconds are truncated: what comes back is a multiple of 1000.
 */
function timestamp(): SessionField<number> {
  return {
    kind: 'timestamp',
    describe: 'timestamp(s32)',
    maxBytes: 4,
    check(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 2 ** 32 * 1000) {
        throw badRow(path, `must be milliseconds since 1970 before 2106, got ${String(value)}`);
      }
      return value;
    },
    size: () => 4,
    write(value, out, offset) {
      const s = Math.floor(value / 1000);
      out[offset] = s >>> 24;
      out[offset + 1] = (s >>> 16) & 0xff;
      out[offset + 2] = (s >>> 8) & 0xff;
      out[offset + 3] = s & 0xff;
      return offset + 4;
    },
    read(c) {
      const b = c.bytes;
      const o = c.offset;
      if (o + 4 > c.end) return undefined;
      c.offset = o + 4;
      return (
        ((b[o] as number) * 2 ** 24 +
          (((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number))) *
        1000
      );
    },
  };
}

/**
 * Raw bytes: exactly `length` bytes, or up to `maxLength` (≤ 255) stored with a one-byte length.
 * Decoded values are fresh Uint8Arrays that do not share memory with the ID.
 */
function bytes(options: { length: number } | { maxLength: number }): SessionField<Uint8Array> {
  const fixed = 'length' in options;
  const n = fixed ? options.length : options.maxLength;
  if (!wholeInRange(n, 1, 255)) throw badDefinition(`bytes length must be 1–255, got ${n}`);
  return {
    kind: 'bytes',
    describe: fixed ? `bytes(=${n})` : `bytes(<=${n})`,
    maxBytes: fixed ? n : n + 1,
    check(value, path) {
      if (!(value instanceof Uint8Array)) throw badRow(path, 'must be a Uint8Array');
      if (fixed ? value.length !== n : value.length > n) {
        throw badRow(
          path,
          `is ${value.length} bytes; the format wants ${fixed ? 'exactly' : 'at most'} ${n}`,
        );
      }
      return value;
    },
    size: (value) => (fixed ? n : 1 + value.length),
    write(value, out, offset) {
      if (!fixed) out[offset++] = value.length;
      out.set(value, offset);
      return offset + value.length;
    },
    read(c) {
      let len = n;
      let start = c.offset;
      if (!fixed) {
        const l = start < c.end ? c.bytes[start] : undefined;
        if (l === undefined || l > n) return undefined;
        len = l;
        start += 1;
      }
      if (start + len > c.end) return undefined;
      c.offset = start + len;
      const out = new Uint8Array(len);
      for (let i = 0; i < len; i++) out[i] = c.bytes[start + i] as number;
      return out;
    },
  };
}

/** Up to 32 named booleans, one bit each (first name = most significant bit of the first byte). */
function flags<const N extends string>(names: readonly N[]): SessionField<Readonly<Record<N, boolean>>> {
  if (names.length < 1 || names.length > 32) throw badDefinition('flags needs 1–32 names');
  if (new Set(names).size !== names.length) throw badDefinition(`flag names repeat: ${names.join(', ')}`);
  const width = Math.ceil(names.length / 8);
  const unused = width * 8 - names.length;
  return {
    kind: 'flags',
    describe: `flags(${names.map((v) => JSON.stringify(v)).join(',')})`,
    maxBytes: width,
    check(value, path) {
      if (value === null || typeof value !== 'object') throw badRow(path, `must be an object of booleans`);
      for (const key of Object.keys(value)) {
        if (!names.includes(key as N))
          throw badRow(`${path}.${key}`, `is not a flag; flags are ${names.join(', ')}`);
        if (typeof (value as Record<string, unknown>)[key] !== 'boolean')
          throw badRow(`${path}.${key}`, 'must be a boolean');
      }
      return value as Record<N, boolean>;
    },
    size: () => width,
    write(value, out, offset) {
      out.fill(0, offset, offset + width);
      names.forEach((name, i) => {
        if (value[name]) out[offset + (i >> 3)] = (out[offset + (i >> 3)] as number) | (0x80 >> (i & 7));
      });
      return offset + width;
    },
    read(c) {
      if (c.offset + width > c.end) return undefined;
      const b = c.bytes;
      const o = c.offset;
      if (unused > 0 && ((b[o + width - 1] as number) & ((1 << unused) - 1)) !== 0) return undefined;
      const out = {} as Record<N, boolean>;
      for (let i = 0; i < names.length; i++)
        out[names[i] as N] = ((b[o + (i >> 3)] as number) & (0x80 >> (i & 7))) !== 0;
      c.offset = o + width;
      return out;
    },
  };
}

/** The field kinds: `field.string({maxBytes})`, `field.uint({max})`, `field.enum([...])`, … */
export const field = { string, uint, enum: enumOf, timestamp, bytes, flags } as const;

/** The value type a field holds. */
export type FieldValue<F> = F extends SessionField<infer T> ? T : never;
