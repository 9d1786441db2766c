import { describe, expect, it } from 'vitest';
import { canonicalName } from './canonical-name.js';
import { nodataNsecRdata, nxnameNsecRdata } from './compact-denial.js';
import { typeBitmap } from './type-bitmap.js';

describe('typeBitmap', () => {
  it('encodes RFC 4034 §4.3 example types (A MX RRSIG NSEC TYPE1234)', () => {
    // the RFC's bytes: window 0 length 6, then window 4 length 27 ending in 0x20
    expect(typeBitmap([1, 15, 46, 47, 1234]).toString('hex')).toBe(
      `0006400100000003041b${'00'.repeat(26)}20`,
    );
  });
});

describe('compact denial NSEC', () => {
  const owner = canonicalName('nope.example.test');

  it('points a nonexistent name at its immediate successor with RRSIG NSEC NXNAME', () => {
    const rdata = nxnameNsecRdata(owner);
    expect(rdata.subarray(0, owner.length + 2)).toEqual(Buffer.concat([Buffer.from([1, 0]), owner]));
    expect(rdata.subarray(owner.length + 2)).toEqual(typeBitmap([46, 47, 128]));
  });

  it('lists the types that exist for NODATA', () => {
    const rdata = nodataNsecRdata(owner, [1, 28]);
    expect(rdata.subarray(owner.length + 2)).toEqual(typeBitmap([1, 28, 46, 47]));
  });
});
