// Fuzz: mutated and foreign IDs must never verify. Full run: 100 000 per mode; with CI set, 20 000.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../core/index.js';
import { createSessionCodec } from './session-codec.js';
import { defineSessionFormat, type SessionMode } from './session-format.js';
import { createSessionKeyRing } from './session-key-ring.js';
import { exampleCodec, exampleFields, secret1, secret2 } from './test-support/example-format.js';

const RUNS = process.env.CI ? 20_000 : 100_000;

const rowArb = fc.record({
  partner: fc.nat({ max: 2 ** 32 - 1 }),
  createdAt: fc.nat({ max: 2 ** 32 - 1 }).map((s) => s * 1000),
  device: fc.constantFrom('web', 'ios', 'android'),
  flags: fc.record({ beta: fc.boolean(), staff: fc.boolean() }),
  region: fc.string({ maxLength: 16 }).filter((s) => Buffer.byteLength(s) <= 16),
  user: fc.uint8Array({ minLength: 8, maxLength: 8 }),
});

type Mutation = (id: string) => string;
const b64 = (s: string) => Buffer.from(s.slice(2), 'base64url');
const enc = (b: Uint8Array) => `s_${Buffer.from(b).toString('base64url')}`;

const mutations: fc.Arbitrary<Mutation>[] = [
  // bit flips in the decoded bytes (1–4 bits)
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 4 }).map((flips) => (id) => {
    const b = b64(id);
    for (const [at, bit] of flips) b[at % b.length] = (b[at % b.length] as number) ^ (1 << bit);
    return enc(b);
  }),
  // one character replaced by any printable ASCII character
  fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })).map(([at, code]) => (id) => {
    const i = at % id.length;
    return id.slice(0, i) + String.fromCharCode(code) + id.slice(i + 1);
  }),
  // truncation of the text or of the bytes
  fc.nat().map((n) => (id) => id.slice(0, n % id.length)),
  fc
    .integer({ min: 1, max: 20 })
    .map((n) => (id) => enc(b64(id).subarray(0, Math.max(0, b64(id).length - n)))),
  // extension of the text or of the bytes
  fc.string({ minLength: 1, maxLength: 12 }).map((s) => (id) => id + s),
  fc.uint8Array({ minLength: 1, maxLength: 12 }).map((extra) => (id) => enc(Buffer.concat([b64(id), extra]))),
  // base64 variants: standard alphabet, padding, non-zero trailing bits, case, whitespace, percent-encoding
  fc.constantFrom<Mutation>(
    (id) => id.replace(/-/g, '+').replace(/_/g, '/').replace(/^s\//, 's_'),
    (id) => `s_${b64(id).toString('base64')}`,
    (id) => `${id}=`,
    (id) => `${id}==`,
    (id) => {
      const last = id.slice(-1);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return id.slice(0, -1) + alphabet[(alphabet.indexOf(last) + 1) % 64];
    },
    (id) => id.toUpperCase(),
    (id) => `S${id.slice(1)}`,
    (id) => ` ${id}`,
    (id) => `${id}\n`,
    (id) => id.replace('_', '-'),
    (id) => `${id.slice(0, 10)} ${id.slice(10)}`,
    (id) => encodeURIComponent(id).replace(/A/g, '%41'),
  ),
  // another key id in the same bytes (a key the ring knows, and one it does not)
  fc.integer({ min: 0, max: 255 }).map((kid) => (id) => {
    const b = b64(id);
    b[1] = kid === b[1] ? (kid + 1) % 256 : kid;
    return enc(b);
  }),
  // swapped byte ranges (fields moved around)
  fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 8 })).map(([x, y, n]) => (id) => {
    const b = b64(id);
    const i = x % b.length;
    const j = y % b.length;
    const len = Math.min(n, b.length - Math.max(i, j), Math.abs(i - j));
    if (len <= 0) return enc(Buffer.concat([b.subarray(1), b.subarray(0, 1)]));
    const tmp = Buffer.from(b.subarray(i, i + len));
    b.copy(b, i, j, j + len);
    tmp.copy(b, j);
    return enc(b);
  }),
];

function foreignIssuers(mode: SessionMode, clock: ManualClock) {
  const otherSecret = createSessionKeyRing({ keys: [{ id: 1, secret: secret2 }], activeKeyId: 1 });
  const otherId = createSessionKeyRing({ keys: [{ id: 9, secret: secret1 }], activeKeyId: 9 });
  const { user, ...rest } = exampleFields;
  const reordered = defineSessionFormat({ fields: { user, ...rest }, mode, partnerField: 'partner' });
  const ring = createSessionKeyRing({ keys: [{ id: 1, secret: secret1 }], activeKeyId: 1 });
  const otherMode = defineSessionFormat({
    fields: exampleFields,
    mode: mode === 'mac' ? 'aead' : 'mac',
    partnerField: 'partner',
  });
  return [
    exampleCodec(mode, { clock, keys: otherSecret }).codec,
    exampleCodec(mode, { clock, keys: otherId }).codec,
    createSessionCodec(reordered, { keys: ring, clock }),
    createSessionCodec(otherMode, { keys: ring, clock }),
  ];
}

describe.each(['mac', 'aead'] as const)('session fuzz (%s)', (mode) => {
  it(`accepts none of ${RUNS} mutated or foreign IDs`, { timeout: 600_000 }, () => {
    const { codec, clock } = exampleCodec(mode);
    const foreign = foreignIssuers(mode, clock);
    let checked = 0;
    fc.assert(
      fc.property(
        rowArb,
        fc.oneof(
          { weight: 9, arbitrary: fc.oneof(...mutations) },
          { weight: 1, arbitrary: fc.constant<Mutation | null>(null) },
        ),
        fc.nat({ max: foreign.length - 1 }),
        (row, mutate, which) => {
          const id = codec.issue(row, { ttlSeconds: 3600 });
          const candidate = mutate
            ? mutate(id)
            : (foreign[which] as typeof codec).issue(row, { ttlSeconds: 3600 });
          if (candidate === id) return;
          checked++;
          const result = codec.verify(candidate);
          if (result.ok) throw new Error(`accepted a mutated ID: ${JSON.stringify(candidate)} from ${id}`);
        },
      ),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(RUNS * 0.99);
  });
});
