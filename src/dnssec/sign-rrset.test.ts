import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalName, labelCount } from './canonical-name.js';
import { generateDnssecKey } from './dnssec-key.js';
import { canonicalRrset, signRrset } from './sign-rrset.js';

const a = (ip: string) => Buffer.from(ip.split('.').map(Number));

describe('canonicalName', () => {
  it('lowercases, drops the trailing dot and counts labels', () => {
    expect(canonicalName('WWW.Example.TEST.')).toEqual(
      Buffer.from('\x03www\x07example\x04test\x00', 'latin1'),
    );
    expect(canonicalName('')).toEqual(Buffer.from([0]));
    expect(labelCount(canonicalName('a.b.example.test'))).toBe(4);
  });

  it('refuses empty and over-long labels', () => {
    expect(() => canonicalName('a..b')).toThrow(/bad label/);
    expect(() => canonicalName(`${'x'.repeat(64)}.test`)).toThrow(/bad label/);
  });
});

describe('signRrset', () => {
  const key = generateDnssecKey('csk');
  const owner = canonicalName('links.example.test');
  const rrset = { owner, type: 1, ttl: 30, rdatas: [a('127.0.3.1'), a('127.0.2.1'), a('127.0.2.1')] };
  const window = { inception: 1_765_000_000, expiration: 1_765_600_000 };

  it('puts records in canonical order without duplicates', () => {
    const bytes = canonicalRrset(rrset);
    const rr = owner.length + 10 + 4;
    expect(bytes.length).toBe(2 * rr);
    expect([...bytes.subarray(rr - 4, rr)]).toEqual([127, 0, 2, 1]);
  });

  it('writes the RRSIG fields and a P-256 signature that verifies over head ‖ RRset', () => {
    const rdata = signRrset(rrset, key, canonicalName('example.test'), window);
    expect(rdata.readUInt16BE(0)).toBe(1); // type covered
    expect(rdata[2]).toBe(13);
    expect(rdata[3]).toBe(3); // labels
    expect(rdata.readUInt32BE(4)).toBe(30);
    expect(rdata.readUInt32BE(8)).toBe(window.expiration);
    expect(rdata.readUInt32BE(12)).toBe(window.inception);
    expect(rdata.readUInt16BE(16)).toBe(key.keyTag);
    const signer = canonicalName('example.test');
    expect(rdata.subarray(18, 18 + signer.length)).toEqual(signer);
    const signature = rdata.subarray(18 + signer.length);
    expect(signature.length).toBe(64);
    const signed = Buffer.concat([rdata.subarray(0, 18 + signer.length), canonicalRrset(rrset)]);
    const publicKey = createPublicKey(key.privateKey);
    expect(verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    // the order of the records given does not matter
    const again = signRrset({ ...rrset, rdatas: [...rrset.rdatas].reverse() }, key, signer, window);
    const signed2 = Buffer.concat([again.subarray(0, 18 + signer.length), canonicalRrset(rrset)]);
    expect(
      verify('sha256', signed2, { key: publicKey, dsaEncoding: 'ieee-p1363' }, again.subarray(-64)),
    ).toBe(true);
  });
});
