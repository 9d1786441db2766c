// TcpAdmission: the per-client cap, the overall cap and which connection makes room.
import { describe, expect, it } from 'vitest';
import { clientKey, TcpAdmission } from './tcp-admission.js';

describe('TcpAdmission', () => {
  it('refuses a client past its cap, and takes it again once one of its connections is gone', () => {
    const a = new TcpAdmission<string>(100, 2);
    expect(a.admit('a1', 'A')).toEqual({ ok: true, evict: null });
    expect(a.admit('a2', 'A')).toEqual({ ok: true, evict: null });
    expect(a.admit('a3', 'A')).toEqual({ ok: false });
    expect(a.admit('b1', 'B')).toEqual({ ok: true, evict: null });
    a.remove('a1');
    a.remove('a1'); // idempotent
    expect(a.admit('a4', 'A')).toEqual({ ok: true, evict: null });
    expect(a.size).toBe(3);
    expect([...a.connections()].sort()).toEqual(['a2', 'a4', 'b1']);
  });

  it('at the overall cap, evicts the oldest connection without a query, then the least recently served', () => {
    const a = new TcpAdmission<string>(3, 10);
    a.admit('s1', 'A');
    a.admit('s2', 'B');
    a.admit('f1', 'C');
    a.served('s1', 1);
    a.served('s2', 2);
    a.served('s1', 3); // s2 is now the least recently served
    expect(a.admit('n1', 'D')).toEqual({ ok: true, evict: 'f1' });
    expect(a.admit('n2', 'D')).toEqual({ ok: true, evict: 'n1' }); // n1 never completed a query
    expect(a.admit('n3', 'D')).toEqual({ ok: true, evict: 'n2' });
    a.served('n3', 4);
    expect(a.admit('n4', 'E')).toEqual({ ok: true, evict: 's2' });
    expect(a.admit('n5', 'E')).toEqual({ ok: true, evict: 'n4' });
    expect(a.size).toBe(3);
  });

  it('frees the per-client count of an evicted connection', () => {
    const a = new TcpAdmission<string>(1, 1);
    a.admit('a1', 'A');
    expect(a.admit('b1', 'B')).toEqual({ ok: true, evict: 'a1' });
    expect(a.admit('a2', 'A')).toEqual({ ok: true, evict: 'b1' });
  });

  it('ignores served() for a connection it does not hold', () => {
    const a = new TcpAdmission<string>(1, 1);
    a.served('ghost', 1);
    expect(a.size).toBe(0);
  });
});

describe('clientKey', () => {
  it('is the IPv4 address, or the IPv6 /64', () => {
    expect(clientKey({ family: 4, bytes: Uint8Array.from([192, 0, 2, 7]) })).toBe('192.0.2.7');
    const v6 = (last: number) =>
      clientKey({
        family: 6,
        bytes: Uint8Array.from([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, last]),
      });
    expect(v6(1)).toBe('20010db800000001/64');
    expect(v6(2)).toBe(v6(1));
  });
});
