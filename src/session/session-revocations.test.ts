import { describe, expect, it } from 'vitest';
import { isRevoked, type SessionRevocations, sessionRevocationsSchema } from './session-revocations.js';

const T = Date.UTC(2026, 5, 1, 12);
const subject = { sessionId: 'abcdefghijklmnop', partner: '42', issuedAtMs: T - 1000 };

describe('isRevoked', () => {
  it.each<[string, SessionRevocations | undefined, boolean]>([
    ['no list', undefined, false],
    ['empty list', {}, false],
    ['by session', { sessions: ['abcdefghijklmnop'] }, true],
    ['another session', { sessions: ['x'] }, false],
    ['by partner', { partners: ['42'] }, true],
    ['another partner', { partners: ['43'] }, false],
    [
      'partner, issued before T',
      { partnersIssuedBefore: [{ partner: '42', issuedBefore: new Date(T).toISOString() }] },
      true,
    ],
    [
      'partner, issued at T',
      { partnersIssuedBefore: [{ partner: '42', issuedBefore: new Date(T - 1000).toISOString() }] },
      false,
    ],
    [
      'partner, latest T wins',
      {
        partnersIssuedBefore: [
          { partner: '42', issuedBefore: new Date(T - 5000).toISOString() },
          { partner: '42', issuedBefore: '2026-06-01T14:00:00+02:00' },
        ],
      },
      true,
    ],
    [
      'unparseable time fails closed',
      { partnersIssuedBefore: [{ partner: '42', issuedBefore: 'soon' }] },
      true,
    ],
  ])('%s', (_name, list, expected) => {
    expect(isRevoked(list, subject)).toBe(expected);
  });

  it('ignores partner rules when the format has no partner field', () => {
    expect(isRevoked({ partners: ['42'] }, { ...subject, partner: undefined })).toBe(false);
  });

  it('has a strict schema for the config snapshot', () => {
    expect(sessionRevocationsSchema.safeParse({ partners: ['42'], sessions: [] }).success).toBe(true);
    expect(
      sessionRevocationsSchema.safeParse({ partnersIssuedBefore: [{ partner: '42', issuedBefore: 'soon' }] })
        .success,
    ).toBe(false);
    expect(sessionRevocationsSchema.safeParse({ partner: ['42'] }).success).toBe(false);
  });
});
