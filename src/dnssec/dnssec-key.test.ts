import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dnssecKey, generateDnssecKey } from './dnssec-key.js';
import { dsRecord, formatDs } from './ds-record.js';
import { keyTag } from './key-tag.js';

describe('DNSSEC keys', () => {
  it('builds DNSKEY RDATA: flags, protocol 3, algorithm 13, 64-byte key', () => {
    const csk = generateDnssecKey('csk');
    expect(csk.dnskeyRdata.length).toBe(68);
    expect([...csk.dnskeyRdata.subarray(0, 4)]).toEqual([1, 1, 3, 13]);
    expect(generateDnssecKey('zsk').flags).toBe(256);
    expect(csk.keyTag).toBe(keyTag(csk.dnskeyRdata));
  });

  it('computes the key tag of RFC 4034 Appendix B', () => {
    // a hand-checkable input: sum of 16-bit words 0x0101 + 0x030d = 0x040e, no carry
    expect(keyTag(Buffer.from([1, 1, 3, 13]))).toBe(0x040e);
    // carries fold back into 16 bits
    expect(keyTag(Buffer.from([0xff, 0xff, 0x00, 0x02]))).toBe(0x0002);
  });

  it('refuses keys that are not P-256', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(() => dnssecKey(privateKey, 'csk')).toThrow(/P-256/);
  });

  it('prints the SHA-256 DS for the parent', () => {
    const key = generateDnssecKey('ksk');
    const ds = dsRecord('example.test', key);
    expect(ds.digest).toMatch(/^[0-9A-F]{64}$/);
    expect(formatDs('example.test', ds)).toBe(`example.test. IN DS ${key.keyTag} 13 2 ${ds.digest}`);
    expect(dsRecord('EXAMPLE.test.', key)).toEqual(ds);
  });
});
