import { describe, expect, it } from 'vitest';
import {
  checkSignedHeaders,
  decodeSenderKey,
  deriveSenderKey,
  encodeSenderKey,
  SIGNATURE_HEADERS,
  sha256Hex,
  signRequest,
} from './request-signature.js';

const secret = 'a-home-secret-of-at-least-32-characters';
const key = deriveSenderKey(secret, 'region:eu-west-2');
const now = 1_764_345_600_000;
const body = '{"region":"eu-west-2","events":[]}';
const signed = signRequest({
  key,
  sender: 'region:eu-west-2',
  method: 'POST',
  path: '/v1/ingest',
  body,
  nowMs: now,
});
const keyFor = (sender: string) =>
  sender.startsWith('region:') ? deriveSenderKey(secret, sender) : undefined;
const check = (
  headers: Record<string, string>,
  overrides: { method?: string; path?: string; nowMs?: number } = {},
) => checkSignedHeaders({ headers, method: 'POST', path: '/v1/ingest', nowMs: now, keyFor, ...overrides });

describe('request signatures', () => {
  it('accepts what was signed, naming the sender and the digest the body must have', () => {
    expect(check(signed)).toEqual({ ok: true, sender: 'region:eu-west-2', contentSha256: sha256Hex(body) });
  });

  it('derives one key per sender, none of them the secret', () => {
    const other = deriveSenderKey(secret, 'region:af-south-1');
    expect(key.equals(other)).toBe(false);
    expect(key.equals(deriveSenderKey(secret, 'partner:eu-west-2'))).toBe(false);
    expect(key.equals(deriveSenderKey(`${secret}x`, 'region:eu-west-2'))).toBe(false);
    expect(decodeSenderKey(`${encodeSenderKey(key)}\n`)?.equals(key)).toBe(true);
    for (const bad of ['', 'short', `${encodeSenderKey(key)}A`, `${encodeSenderKey(key)}=`]) {
      expect(decodeSenderKey(bad)).toBeUndefined();
    }
  });

  it.each([
    ['no headers', {}],
    [
      'another key',
      signRequest({
        key: deriveSenderKey('other', 'region:eu-west-2'),
        sender: 'region:eu-west-2',
        method: 'POST',
        path: '/v1/ingest',
        body,
        nowMs: now,
      }),
    ],
    ['another sender named', { ...signed, [SIGNATURE_HEADERS.sender]: 'region:af-south-1' }],
    [
      'a sender this route refuses',
      signRequest({ key, sender: 'partner:acme', method: 'POST', path: '/v1/ingest', body, nowMs: now }),
    ],
    ['a malformed sender', { ...signed, [SIGNATURE_HEADERS.sender]: 'eu-west-2' }],
    ['another body digest', { ...signed, [SIGNATURE_HEADERS.contentSha256]: sha256Hex('{}') }],
    ['another timestamp', { ...signed, [SIGNATURE_HEADERS.timestamp]: String(now + 1) }],
    ['an empty signature', { ...signed, [SIGNATURE_HEADERS.signature]: '' }],
    [
      'a truncated signature',
      { ...signed, [SIGNATURE_HEADERS.signature]: signed[SIGNATURE_HEADERS.signature]!.slice(2) },
    ],
  ])('refuses %s', (_what, headers) => {
    expect(check(headers as Record<string, string>).ok).toBe(false);
  });

  it('binds the method and the path', () => {
    expect(check(signed, { method: 'PUT' }).ok).toBe(false);
    expect(check(signed, { path: '/v1/ingest?x=1' }).ok).toBe(false);
  });

  it('refuses a request signed outside the clock-skew window, either way, with the reason', () => {
    expect(check(signed, { nowMs: now + 300_000 }).ok).toBe(true);
    const stale = check(signed, { nowMs: now + 300_001 });
    expect(stale).toEqual({
      ok: false,
      reason: expect.stringMatching(/signed 300 s ago.*check the sender's clock/),
    });
    expect(check(signed, { nowMs: now - 300_001 })).toEqual({
      ok: false,
      reason: expect.stringMatching(/ahead/),
    });
  });
});
