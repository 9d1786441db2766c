import { describe, expect, it } from 'vitest';
import { parseAddress } from '../core/index.js';
import { beaconReportSchema } from './beacon-report.js';
import { clientKey } from './client-key.js';

const addr = (s: string) => {
  const r = parseAddress(s);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('clientKey', () => {
  const networkOf = (family: 4 | 6, bytes: Uint8Array) =>
    family === 4 && bytes[0] === 203 ? 'cape-town' : null;

  it('names the world network when the client is in one', () => {
    const a = addr('203.0.113.9');
    expect(clientKey(a.family, a.bytes, networkOf)).toBe('network:cape-town');
  });

  it('cuts other clients to their /24 or /48', () => {
    const a = addr('198.51.100.77');
    expect(clientKey(a.family, a.bytes, networkOf)).toBe('subnet:198.51.100.0/24');
    const b = addr('2001:db8:1:2::5');
    expect(clientKey(b.family, b.bytes, networkOf)).toBe('subnet:2001:db8:1::/48');
  });
});

describe('beaconReportSchema', () => {
  it('accepts a few measured regions', () => {
    expect(beaconReportSchema.safeParse({ samples: [{ region: 'eu-west-2', rttMs: 151.2 }] }).success).toBe(
      true,
    );
  });

  it.each([
    ['no samples', { samples: [] }],
    ['too many regions', { samples: Array.from({ length: 9 }, (_, i) => ({ region: `r${i}`, rttMs: 1 })) }],
    ['a negative rtt', { samples: [{ region: 'a', rttMs: -1 }] }],
    ['an absurd rtt', { samples: [{ region: 'a', rttMs: 60_000 }] }],
    ['a bad region name', { samples: [{ region: 'A B', rttMs: 1 }] }],
    ['an unknown field', { samples: [{ region: 'a', rttMs: 1, extra: 1 }] }],
  ])('rejects %s', (_what, report) => {
    expect(beaconReportSchema.safeParse(report).success).toBe(false);
  });
});
