// The consumer without any NATS server: it never blocks its user, and stops cleanly.
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../../world/index.js';
import { FLEET_EVENTS, FleetHealthConsumer } from './fleet-health-consumer.js';
import type { NatsLinkEvent } from './nats-link.js';

const world = lintWorldText(
  [
    'zone: example.test',
    'home: us-west-2',
    'regions:',
    '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }',
    'vantages:',
    '  a: { location: { lat: 0, lon: 0 } }',
  ].join('\n'),
).world!;

describe('FleetHealthConsumer with no NATS server', () => {
  it('keeps an unknown table, says why, and stops while still trying to connect', async () => {
    const c = new FleetHealthConsumer({ world, servers: ['nats://127.0.0.1:1'], fleet: 'nowhere' });
    const failed = new Promise<NatsLinkEvent>((resolve) =>
      c.on(FLEET_EVENTS.nats, (e: NatsLinkEvent) => e.state === 'connect-failed' && resolve(e)),
    );
    c.start();
    expect((await failed).attempt).toBe(1);
    expect(c.table()).toMatchObject({
      version: 0,
      regions: [{ name: 'us-west-2', state: 'unknown', serving: false }],
    });
    expect(c.status()).toMatchObject({ connected: false, caughtUp: false, lastSequence: 0 });
    expect(c.matrix().regions[0]).toMatchObject({ failStatic: true, staleVantages: ['a'] });
    await c.stop(); // must not wait for a connection that never comes
    expect(c.status().connected).toBe(false);
  });
});
