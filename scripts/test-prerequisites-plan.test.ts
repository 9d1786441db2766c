import { describe, expect, it } from 'vitest';
import { planTools, serviceDownMessage, testServiceUrls } from './test-prerequisites-plan.js';

describe('testServiceUrls', () => {
  it('defaults to the local PostgreSQL and Redis when the variables are unset or empty', () => {
    expect(testServiceUrls({})).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(testServiceUrls({ DATABASE_URL: ' ', REDIS_URL: '' }).REDIS_URL).toBe('redis://127.0.0.1:6379');
  });
  it('keeps what the environment sets', () => {
    expect(testServiceUrls({ DATABASE_URL: 'postgres://u@db:5432/x', REDIS_URL: 'redis://r:1' })).toEqual({
      DATABASE_URL: 'postgres://u@db:5432/x',
      REDIS_URL: 'redis://r:1',
    });
  });
});

describe('planTools', () => {
  it('does nothing when every tool is there', () => {
    expect(planTools({ missing: [], isRoot: false, hasAptGet: true })).toEqual({ action: 'none' });
  });
  it('installs the missing tools with apt-get as root', () => {
    expect(planTools({ missing: ['dig', 'kdig'], isRoot: true, hasAptGet: true })).toEqual({
      action: 'install',
      packages: ['bind9-dnsutils', 'knot-dnsutils'],
      commands: ['dig', 'kdig'],
    });
  });
  it('prints the one command to run when not root', () => {
    const plan = planTools({ missing: ['kdig'], isRoot: false, hasAptGet: true });
    expect(plan).toEqual({
      action: 'tell',
      message:
        'npm test: kdig is not installed; the tests run it. Install with: sudo apt-get install -y knot-dnsutils',
    });
  });
  it('installs nats-server, which the fleet tests run as a 3-node cluster', () => {
    expect(planTools({ missing: ['nats-server', 'dig'], isRoot: true, hasAptGet: true })).toEqual({
      action: 'install',
      packages: ['nats-server', 'bind9-dnsutils'],
      commands: ['nats-server', 'dig'],
    });
    expect(planTools({ missing: ['nats-server'], isRoot: false, hasAptGet: true })).toEqual({
      action: 'tell',
      message:
        'npm test: nats-server is not installed; the tests run it. Install with: sudo apt-get install -y nats-server',
    });
  });
  it('names the packages when there is no apt-get', () => {
    const plan = planTools({ missing: ['dig'], isRoot: true, hasAptGet: false });
    expect(plan.action).toBe('tell');
    expect(plan.action === 'tell' && plan.message).toContain('bind9-dnsutils');
  });
});

describe('serviceDownMessage', () => {
  it('is one line naming the service, where, how to start it, and the variable', () => {
    const m = serviceDownMessage(
      'PostgreSQL',
      'postgres://postgres:secret@127.0.0.1:5432/test',
      'DATABASE_URL',
    );
    expect(m).not.toContain('\n');
    expect(m).not.toContain('secret');
    expect(m).toContain('127.0.0.1:5432');
    expect(m).toContain('pg_ctlcluster');
    expect(m).toContain('DATABASE_URL');
  });
});
