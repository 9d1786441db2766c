import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { lintWorldText, type World } from '../world/index.js';
import { auditTargets, homeStatusEndpoint, parseEndpoint } from './audit-targets.js';

const world = lintWorldText(`
zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, port: 9000 }
`).world as World;

describe('auditTargets', () => {
  it('asks every declared region and home (home address, port + 1 by default)', () => {
    expect(homeStatusEndpoint(world)).toBe('127.0.1.1:8081');
    expect(auditTargets(world).map((t) => [t.url, t.declared?.name, t.declared?.kind, t.origin])).toEqual([
      ['http://127.0.1.1:8080/status', 'us-west-2', 'region', 'declared'],
      ['http://127.0.2.1:9000/status', 'eu-west-2', 'region', 'declared'],
      ['http://127.0.1.1:8081/status', 'us-west-2', 'home', 'declared'],
    ]);
    expect(auditTargets(world, { home: null })).toHaveLength(2);
    expect(auditTargets(world, { home: 'http://127.0.0.5:7000' })[2]!.url).toBe(
      'http://127.0.0.5:7000/status',
    );
  });

  it('sweeps discovery ranges on the declared ports, without repeating declared endpoints', () => {
    const t = auditTargets(world, { home: null, discover: ['127.0.2.0/31'] });
    expect(t.map((x) => `${x.origin} ${x.host}:${x.port}`)).toEqual([
      'declared 127.0.1.1:8080',
      'declared 127.0.2.1:9000',
      'discovered 127.0.2.0:8080',
      'discovered 127.0.2.0:9000',
      'discovered 127.0.2.1:8080',
    ]);
    expect(
      auditTargets(world, { home: null, discover: ['127.0.3.7/32'], discoverPorts: [1, 2] }),
    ).toHaveLength(4);
  });

  it('refuses sweeps over the limit and ranges that are not IPv4', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return isMeridianError(err) ? err.code : 'other';
      }
      return 'none';
    };
    expect(code(() => auditTargets(world, { discover: ['127.0.0.0/8'] }))).toBe(
      'MERIDIAN_AUDIT_DISCOVERY_TOO_LARGE',
    );
    expect(code(() => auditTargets(world, { discover: ['127.0.0.0/20'] }))).toBe(
      'MERIDIAN_AUDIT_DISCOVERY_TOO_LARGE',
    );
    expect(code(() => auditTargets(world, { discover: ['::1/128'] }))).toBe('MERIDIAN_AUDIT_BAD_ENDPOINT');
    expect(code(() => auditTargets(world, { endpoints: ['nope'] }))).toBe('MERIDIAN_AUDIT_BAD_ENDPOINT');
  });

  it('parses host:port and URLs', () => {
    expect(parseEndpoint('127.0.0.1:80', 'x')).toEqual({ host: '127.0.0.1', port: 80 });
    expect(parseEndpoint('http://[::1]:81/status', 'x')).toEqual({ host: '::1', port: 81 });
    expect(() => parseEndpoint('https://a:1', 'x')).toThrow(/host:port/);
  });
});
