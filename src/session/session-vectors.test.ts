// Checks the byte layout against testdata/session-vectors.json (regenerate with UPDATE_SESSION_VECTORS=1).
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { createSessionCodec, type SessionRejection } from './session-codec.js';
import { createSessionKeyRing } from './session-key-ring.js';
import { exampleFormat, exampleRow, secret1, secret2 } from './test-support/example-format.js';

const path = new URL('./testdata/session-vectors.json', import.meta.url);

interface Vector {
  name: string;
  mode: 'mac' | 'aead';
  keyId: number;
  nowMs: number;
  ttlSeconds: number;
  nonceHex?: string;
  row: Record<string, unknown>;
  bodyHex: string;
  id: string;
}
interface Rejected {
  name: string;
  mode: 'mac' | 'aead';
  nowMs: number;
  id: string;
  reason: SessionRejection;
}

const rows = [
  { ...exampleRow, user: '0102030405060708' },
  {
    partner: 4_294_967_295,
    createdAt: 0,
    device: 'android',
    flags: { beta: false, staff: true },
    region: '',
    user: 'ffffffffffffffff',
  },
];

function codecFor(mode: 'mac' | 'aead', keyId: number, nowMs: number, nonceHex?: string) {
  const keys = createSessionKeyRing({
    keys: [
      { id: 1, secret: secret1 },
      { id: 2, secret: secret2 },
    ],
    activeKeyId: keyId,
  });
  const nonce = nonceHex ? Buffer.from(nonceHex, 'hex') : undefined;
  return createSessionCodec(exampleFormat(mode), {
    keys,
    clock: new ManualClock(nowMs),
    clockSkewSeconds: 0,
    randomBytes: nonce ? () => new Uint8Array(nonce) : undefined,
  });
}

function toRow(json: Record<string, unknown>) {
  return {
    ...json,
    user: new Uint8Array(Buffer.from(json.user as string, 'hex')),
  } as unknown as typeof exampleRow;
}

function generate() {
  const nowMs = Date.UTC(2026, 5, 1, 12, 0, 0);
  const vectors: Vector[] = [];
  for (const mode of ['mac', 'aead'] as const) {
    rows.forEach((row, i) => {
      const keyId = i + 1;
      const nonceHex = mode === 'aead' ? `${'0'.repeat(23)}${i + 1}` : undefined;
      const id = codecFor(mode, keyId, nowMs, nonceHex).issue(toRow(row), { ttlSeconds: 86_400 });
      const bodyHex = Buffer.from(id.slice(2), 'base64url').toString('hex');
      vectors.push({
        name: `${mode} row ${i + 1}`,
        mode,
        keyId,
        nowMs,
        ttlSeconds: 86_400,
        ...(nonceHex ? { nonceHex } : {}),
        row,
        bodyHex,
        id,
      });
    });
  }
  const first = vectors[0] as Vector;
  const flipLast = (id: string) => id.slice(0, -1) + (id.endsWith('A') ? 'Q' : 'A');
  const rejected: Rejected[] = [
    { name: 'expired', mode: 'mac', nowMs: first.nowMs + 86_400_000, id: first.id, reason: 'expired' },
    { name: 'not yet valid', mode: 'mac', nowMs: first.nowMs - 1000, id: first.id, reason: 'not-yet-valid' },
    { name: 'tag changed', mode: 'mac', nowMs: first.nowMs, id: flipLast(first.id), reason: 'bad-mac' },
    {
      name: 'unknown key 3',
      mode: 'mac',
      nowMs: first.nowMs,
      id: `s_${Buffer.from(first.bodyHex.replace(/^0101/, '0103'), 'hex').toString('base64url')}`,
      reason: 'unknown-key',
    },
    { name: 'padded', mode: 'mac', nowMs: first.nowMs, id: `${first.id}=`, reason: 'malformed' },
    {
      name: 'aead id given to a mac format',
      mode: 'mac',
      nowMs: first.nowMs,
      id: (vectors[2] as Vector).id,
      reason: 'malformed',
    },
  ];
  return {
    about:
      'Session ID test vectors (see src/session/README.md, "Byte layout"). Keys: secret of key 1 = bytes 01..20, key 2 = bytes c8 down to a9 (hex). Format: prefix "s", fields partner uint(2^32-1), createdAt timestamp, device enum(web,ios,android), flags(beta,staff), region string(16), user bytes(8); partnerField partner. Times in ms since the epoch; "user" in hex.',
    keys: [
      { id: 1, secretHex: Buffer.from(secret1).toString('hex') },
      { id: 2, secretHex: Buffer.from(secret2).toString('hex') },
    ],
    vectors,
    rejected,
  };
}

describe('session test vectors', () => {
  if (process.env.UPDATE_SESSION_VECTORS) writeFileSync(path, `${JSON.stringify(generate(), null, 2)}\n`);
  const data = JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof generate>;

  it('the file matches what the code generates (keys, rows, bodies)', () => {
    expect(data).toEqual(generate());
    expect(data.keys[0]?.secretHex).toBe(Buffer.from(secret1).toString('hex'));
  });

  it.each(data.vectors)('$name: issues exactly this ID and verifies it back to the row', (v) => {
    const codec = codecFor(v.mode, v.keyId, v.nowMs, v.nonceHex);
    expect(codec.issue(toRow(v.row), { ttlSeconds: v.ttlSeconds })).toBe(v.id);
    expect(Buffer.from(v.id.slice(2), 'base64url').toString('hex')).toBe(v.bodyHex);
    const result = codec.verify(v.id);
    expect(result).toMatchObject({ ok: true, session: { keyId: v.keyId, row: toRow(v.row) } });
    const body = Buffer.from(v.bodyHex, 'hex');
    expect(body[0]).toBe(v.mode === 'mac' ? 1 : 2);
    expect(body[1]).toBe(v.keyId);
    if (v.mode === 'mac') {
      expect(body.readUInt32BE(2)).toBe(v.nowMs / 1000);
      expect(body.readUInt32BE(6)).toBe(v.nowMs / 1000 + v.ttlSeconds);
      expect(body.readUInt32BE(10)).toBe(v.row.partner);
    } else {
      expect(body.subarray(2, 14).toString('hex')).toBe(v.nonceHex);
    }
  });

  it.each(data.vectors.filter((v) => v.mode === 'mac'))(
    '$name: the tag is the README formula, computed independently',
    (v) => {
      const secret = Buffer.from(data.keys.find((k) => k.id === v.keyId)?.secretHex ?? '', 'hex');
      const macKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'meridian-session mac v1', 32));
      const description =
        'meridian-session/1|s|mac|partner:uint(4294967295);createdAt:timestamp(s32);device:enum("web","ios","android");' +
        'flags:flags("beta","staff");region:string(16);user:bytes(=8)';
      expect(exampleFormat('mac').description).toBe(description);
      const fingerprint = createHash('sha256').update(description).digest().subarray(0, 8);
      const body = Buffer.from(v.bodyHex, 'hex');
      const tag = createHmac('sha256', macKey)
        .update(Buffer.concat([Buffer.from('s\0'), fingerprint, body.subarray(0, body.length - 16)]))
        .digest()
        .subarray(0, 16);
      expect(body.subarray(body.length - 16)).toEqual(tag);
    },
  );

  it.each(data.rejected)('rejects $name as $reason', (r) => {
    expect(codecFor(r.mode, 1, r.nowMs).verify(r.id)).toEqual({ ok: false, reason: r.reason });
  });
});
