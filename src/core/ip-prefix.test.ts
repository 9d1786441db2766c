import { describe, expect, it } from 'vitest';
import { formatPrefix, parseAddress, parseCidr, prefixContains, prefixesOverlap } from './ip-prefix.js';

function cidr(text: string) {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('parseCidr', () => {
  it.each([
    ['10.10.0.0/16', '10.10.0.0/16'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['198.51.100.7/32', '198.51.100.7/32'],
  ])('accepts %s', (text, formatted) => {
    expect(formatPrefix(cidr(text))).toBe(formatted);
  });

  it.each([
    ['10.10.0.0', 'no prefix length'],
    ['10.10.0.0/33', 'from 0 to 32'],
    ['10.10.1.0/16', 'host bits set; the network is 10.10.0.0/16'],
    ['10.300.0.0/16', 'not an IPv4'],
    ['10.10/16', 'not an IPv4'],
    ['2001:db8::/129', 'from 0 to 128'],
  ])('rejects %s', (text, reason) => {
    const r = parseCidr(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('prefix relations', () => {
  it('contains and overlaps', () => {
    expect(prefixContains(cidr('10.0.0.0/8'), cidr('10.20.0.0/16'))).toBe(true);
    expect(prefixContains(cidr('10.20.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(prefixesOverlap(cidr('10.20.0.0/16'), cidr('10.0.0.0/8'))).toBe(true);
    expect(prefixesOverlap(cidr('10.20.0.0/16'), cidr('10.30.0.0/16'))).toBe(false);
    expect(prefixesOverlap(cidr('10.20.0.0/16'), cidr('2001:db8::/32'))).toBe(false);
  });

  it('parses addresses of both families', () => {
    expect(parseAddress('127.0.1.1')).toMatchObject({ ok: true, value: { family: 4 } });
    expect(parseAddress('::1')).toMatchObject({ ok: true, value: { family: 6 } });
    expect(parseAddress('127.1').ok).toBe(false);
  });
});
