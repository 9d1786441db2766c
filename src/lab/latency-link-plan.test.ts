import { describe, expect, it } from 'vitest';
import { loadAwsRttTable } from '../geo/io/index.js';
import { loadWorld } from '../world/io/index.js';
import { resolveLabRtts } from './lab-rtts.js';
import { planLatencyLinks } from './latency-link-plan.js';

const world = loadWorld(new URL('../../examples/world.yaml', import.meta.url).pathname);
const rtts = resolveLabRtts(world, loadAwsRttTable());

describe('planLatencyLinks', () => {
  const plan = planLatencyLinks(world, rtts, {
    gslb: { host: '127.0.0.1', port: 5353 },
    homePorts: [8080, 8081],
  });

  it('plans one DNS link per user network, one user link per network × region and region → home per port', () => {
    const users = Object.keys(world.lab.users).length;
    expect(plan.filter((l) => l.kind === 'dns')).toHaveLength(users);
    expect(plan.filter((l) => l.kind === 'user')).toHaveLength(users * world.regions.length);
    expect(plan.filter((l) => l.kind === 'home')).toHaveLength((world.regions.length - 1) * 2);
    expect(new Set(plan.map((l) => l.id)).size).toBe(plan.length);
  });

  it('targets region and home addresses from the world, with the right RTTs and set-up charges', () => {
    const user = plan.find((l) => l.id === 'user:cape-town→eu-west-2')!;
    expect(user).toMatchObject({ protocol: 'tcp', target: { host: '127.0.3.1' }, connectDelayMs: 0 });
    expect(user.rttMs).toBe(rtts.user('cape-town', 'eu-west-2')!.rttMs);
    const home = plan.find((l) => l.id === 'home:af-south-1→us-west-2:8081')!;
    expect(home).toMatchObject({ target: { host: '127.0.1.1', port: 8081 }, source: 'measured' });
    expect(home.connectDelayMs).toBe(home.rttMs);
  });

  it('delays DNS by the round trip to the nearest region', () => {
    const dns = plan.find((l) => l.id === 'dns:cape-town')!;
    const nearest = Math.min(...world.regions.map((r) => rtts.user('cape-town', r.name)!.rttMs));
    expect(dns).toMatchObject({ protocol: 'udp', rttMs: nearest, target: { host: '127.0.0.1', port: 5353 } });
  });
});
