// A session format: the declared row (ordered fields), the ID prefix and the protection mode.
import { createHash } from 'node:crypto';
import { MeridianError } from '../core/index.js';
import type { ByteCursor, FieldValue, SessionField } from './session-field.js';

/** `mac`: the row is readable by whoever holds the ID, and tamper-proof. `aead`: also unreadable. */
export type SessionMode = 'mac' | 'aead';

// biome-ignore lint/suspicious/noExplicitAny: a field of any value type
export type SessionFields = Readonly<Record<string, SessionField<any>>>;

/** The row type a set of fields describes. */
export type SessionRow<F extends SessionFields> = { readonly [K in keyof F]: FieldValue<F[K]> };

export interface SessionFormatOptions<F extends SessionFields> {
  /** The row's fields, packed in the order written here. */
  fields: F;
  /** Letters before `_` in every ID: lower-case ASCII, 1–8 characters (default `s`). */
  prefix?: string;
  /** Default `mac`. */
  mode?: SessionMode;
  /**
   * The field that names the partner, for revocation by partner (a `uint`, `string` or `enum`
   * field). Without it, only revocation by session applies.
   */
  partnerField?: keyof F & string;
}

/** A validated, immutable session format; pass it to `createSessionCodec`. */
export interface SessionFormat<F extends SessionFields> {
  readonly fields: F;
  readonly names: readonly (keyof F & string)[];
  readonly prefix: string;
  readonly mode: SessionMode;
  readonly partnerField: (keyof F & string) | undefined;
  /** First 8 bytes of SHA-256 over the canonical description; bound into every tag. */
  readonly fingerprint: Uint8Array;
  /** The canonical description the fingerprint is taken over. */
  readonly description: string;
  /** Largest packed row in bytes. */
  readonly maxRowBytes: number;
  /** Checks a row and packs it (throws MERIDIAN_SESSION_BAD_ROW on a bad value). */
  packRow(row: SessionRow<F>): Uint8Array;
  /** Unpacks exactly `bytes[start, end)`; undefined when the bytes are not a row of this format. */
  unpackRow(bytes: Uint8Array, start: number, end: number): SessionRow<F> | undefined;
}

const PREFIX = /^[a-z]{1,8}$/;
// Names appear in the fingerprint's description, so they must not contain its separators.
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Declares a session row. Throws MERIDIAN_SESSION_BAD_FORMAT when the declaration is wrong. */
export function defineSessionFormat<const F extends SessionFields>(
  options: SessionFormatOptions<F>,
): SessionFormat<F> {
  const prefix = options.prefix ?? 's';
  const mode = options.mode ?? 'mac';
  if (!PREFIX.test(prefix)) {
    throw new MeridianError(
      'MERIDIAN_SESSION_BAD_FORMAT',
      `session format: prefix "${prefix}" must be 1–8 lower-case letters a–z`,
    );
  }
  if (mode !== 'mac' && mode !== 'aead') {
    throw new MeridianError('MERIDIAN_SESSION_BAD_FORMAT', `session format: mode must be "mac" or "aead"`);
  }
  const names = Object.keys(options.fields) as (keyof F & string)[];
  if (names.length === 0) {
    throw new MeridianError('MERIDIAN_SESSION_BAD_FORMAT', 'session format: declare at least one field');
  }
  for (const name of names) {
    if (!FIELD_NAME.test(name)) {
      throw new MeridianError(
        'MERIDIAN_SESSION_BAD_FORMAT',
        `session format: field name "${name}" must be letters, digits and _ (not starting with a digit), at most 64`,
      );
    }
    const f = options.fields[name] as Partial<SessionField<unknown>> | undefined;
    if (!f || typeof f.describe !== 'string' || typeof f.read !== 'function') {
      throw new MeridianError(
        'MERIDIAN_SESSION_BAD_FORMAT',
        `session format: field "${name}" is not a field; declare it with field.uint(), field.string(), …`,
      );
    }
  }
  const list = names.map((name) => [name, options.fields[name] as SessionField<unknown>] as const);
  const partnerField = options.partnerField;
  if (partnerField !== undefined) {
    const kind = options.fields[partnerField]?.kind;
    if (kind !== 'uint' && kind !== 'string' && kind !== 'enum') {
      throw new MeridianError(
        'MERIDIAN_SESSION_BAD_FORMAT',
        `session format: partnerField "${partnerField}" must name a uint, string or enum field`,
      );
    }
  }
  const description = `meridian-session/1|${prefix}|${mode}|${list.map(([n, f]) => `${n}:${f.describe}`).join(';')}`;
  const fingerprint = new Uint8Array(createHash('sha256').update(description).digest().subarray(0, 8));
  const maxRowBytes = list.reduce((sum, [, f]) => sum + f.maxBytes, 0);

  return Object.freeze({
    fields: options.fields,
    names: Object.freeze(names),
    prefix,
    mode,
    partnerField,
    fingerprint,
    description,
    maxRowBytes,
    packRow(row: SessionRow<F>): Uint8Array {
      if (row === null || typeof row !== 'object') {
        throw new MeridianError('MERIDIAN_SESSION_BAD_ROW', 'session row must be an object');
      }
      for (const key of Object.keys(row)) {
        if (!(key in options.fields)) {
          throw new MeridianError(
            'MERIDIAN_SESSION_BAD_ROW',
            `session row has unknown field "${key}"; the format has ${names.join(', ')}`,
          );
        }
      }
      const values: unknown[] = [];
      let size = 0;
      for (const [name, f] of list) {
        const v = f.check((row as Record<string, unknown>)[name], name);
        values.push(v);
        size += f.size(v);
      }
      const out = new Uint8Array(size);
      let offset = 0;
      list.forEach(([, f], i) => {
        offset = f.write(values[i], out, offset);
      });
      return out;
    },
    unpackRow(bytes: Uint8Array, start: number, end: number): SessionRow<F> | undefined {
      const cursor: ByteCursor = { bytes, offset: start, end };
      const row: Record<string, unknown> = {};
      for (const [name, f] of list) {
        const v = f.read(cursor);
        if (v === undefined) return undefined;
        row[name] = v;
      }
      return cursor.offset === end ? (row as SessionRow<F>) : undefined;
    },
  });
}
