import { describe, expect, it } from 'vitest';
import { ConnectionTable } from './connection-table.js';

describe('ConnectionTable', () => {
  it('refuses the connection past the per-client cap, and only for that client', () => {
    const t = new ConnectionTable<number>({ maxConnections: 100, maxConnectionsPerClient: 2 });
    expect(t.open(1, '127.0.0.1')).toEqual({ admitted: true });
    expect(t.open(2, '127.0.0.1')).toEqual({ admitted: true });
    expect(t.open(3, '127.0.0.1')).toEqual({ admitted: false, reason: 'per-client' });
    expect(t.open(4, '127.0.0.2')).toEqual({ admitted: true });
    t.close(1);
    expect(t.open(5, '127.0.0.1')).toEqual({ admitted: true });
    expect(t.size).toBe(3);
  });

  it('at the global cap, admits the newcomer in place of the oldest connection without a request', () => {
    const t = new ConnectionTable<string>({ maxConnections: 3, maxConnectionsPerClient: 0 });
    t.open('a', '10.0.0.1');
    t.open('b', '10.0.0.2');
    t.open('c', '10.0.0.3');
    t.busy('a', true);
    expect(t.open('d', '10.0.0.4')).toEqual({ admitted: true, evict: 'b' });
    t.close('b');
    expect(t.size).toBe(3);
    t.busy('c', true);
    t.busy('d', true);
    // every connection has a request in flight: the one whose request started first goes
    expect(t.open('e', '10.0.0.5')).toEqual({ admitted: true, evict: 'a' });
  });

  it('a connection whose request ended is idle again', () => {
    const t = new ConnectionTable<string>({ maxConnections: 2, maxConnectionsPerClient: 0 });
    t.open('a', '10.0.0.1');
    t.open('b', '10.0.0.2');
    t.busy('a', true);
    t.busy('b', true);
    t.busy('a', false);
    expect(t.open('c', '10.0.0.3')).toEqual({ admitted: true, evict: 'a' });
  });

  it('forgets a client once its last connection closes (the map stays bounded)', () => {
    const t = new ConnectionTable<number>({ maxConnections: 10, maxConnectionsPerClient: 1 });
    for (let i = 0; i < 1000; i++) {
      t.open(i, `10.0.${i >> 8}.${i & 255}`);
      t.close(i);
    }
    expect(t.size).toBe(0);
    expect(t.clients).toBe(0);
  });

  it('counts IPv6 clients by /64 and IPv4-mapped addresses as IPv4', () => {
    const t = new ConnectionTable<number>({ maxConnections: 10, maxConnectionsPerClient: 1 });
    expect(t.open(1, '2001:db8:1:2::1').admitted).toBe(true);
    expect(t.open(2, '2001:db8:1:2:ffff::9')).toEqual({ admitted: false, reason: 'per-client' });
    expect(t.open(3, '2001:db8:1:3::1').admitted).toBe(true);
    expect(t.open(4, '127.0.0.1').admitted).toBe(true);
    expect(t.open(5, '::ffff:127.0.0.1')).toEqual({ admitted: false, reason: 'per-client' });
  });

  it('0 means no limit', () => {
    const t = new ConnectionTable<number>({ maxConnections: 0, maxConnectionsPerClient: 0 });
    const admissions = Array.from({ length: 2000 }, (_, i) => t.open(i, '127.0.0.1'));
    expect(admissions.every((a) => a.admitted && !('evict' in a))).toBe(true);
  });
});
