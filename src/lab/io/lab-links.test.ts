import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlannedLink } from '../latency-link-plan.js';
import { LabLinks } from './lab-links.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function echo(): Promise<number> {
  const server: Server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

const link = (
  p: Partial<PlannedLink> & Pick<PlannedLink, 'id' | 'kind' | 'protocol' | 'from' | 'to'>,
  port: number,
): PlannedLink => ({
  rttMs: 10,
  source: 'model',
  target: { host: '127.0.0.1', port },
  connectDelayMs: 0,
  ...p,
});

describe('LabLinks', () => {
  it('starts every planned link and answers routes, DNS and home addresses', async () => {
    const port = await echo();
    const links = new LabLinks([
      link({ id: 'dns:london', kind: 'dns', protocol: 'udp', from: 'london', to: 'gslb' }, 5300),
      link({ id: 'user:london→a', kind: 'user', protocol: 'tcp', from: 'london', to: 'a', rttMs: 42 }, port),
      link({ id: 'home:a→h:1', kind: 'home', protocol: 'tcp', from: 'a', to: 'h', connectDelayMs: 10 }, port),
    ]);
    await links.start();
    cleanups.push(() => links.stop());
    expect(links.links).toHaveLength(3);
    const route = links.routesFor('london')('127.0.0.1');
    expect(route).toMatchObject({ host: '127.0.0.1', connectDelayMs: 42 });
    expect(route!.port).toBeGreaterThan(0);
    expect(links.routesFor('paris')('127.0.0.1')).toBeUndefined();
    expect(links.dnsFor('london')?.port).toBeGreaterThan(0);
    expect(links.homeFor('a', port)?.port).toBeGreaterThan(0);
    // a latency drill: london → a gets 150 ms slower, then back; paris has no such link
    expect(links.addRtt('london', '127.0.0.1', 150)).toBe(1);
    expect(links.routesFor('london')('127.0.0.1')).toMatchObject({ connectDelayMs: 192 });
    expect(links.addRtt('paris', '127.0.0.1', 150)).toBe(0);
    expect(links.addRtt(null, '127.0.0.1', 0)).toBe(1);
    expect(links.routesFor('london')('127.0.0.1')).toMatchObject({ connectDelayMs: 42 });
    await links.stop();
    expect(links.links).toHaveLength(0);
  });

  it('relays each user connection from its own loopback address, home links from the default', async () => {
    const peers: string[] = [];
    const server: Server = createServer((s) => {
      peers.push(s.remoteAddress ?? '');
      s.on('error', () => {});
      s.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;
    const links = new LabLinks([
      link({ id: 'user:london→a', kind: 'user', protocol: 'tcp', from: 'london', to: 'a', rttMs: 1 }, port),
      link({ id: 'home:a→h:1', kind: 'home', protocol: 'tcp', from: 'a', to: 'h', rttMs: 1 }, port),
    ]);
    await links.start();
    cleanups.push(() => links.stop());
    const dial = async (to: { host: string; port: number }) => {
      const s = connect(to);
      // both ends close at once, so either may see a reset: not what this test is about
      s.on('error', () => {});
      await new Promise((r) => s.once('close', r));
    };
    const user = links.routesFor('london')('127.0.0.1')!;
    await dial(user);
    await dial(user);
    await dial(links.homeFor('a', port)!);
    expect(peers).toEqual(['127.77.0.1', '127.77.0.2', '127.0.0.1']);
  });
});
