// A home and a region in this process (port 0): the region's polls run on a manual clock, so
// "a revocation is enforced within one poll interval" is checked without any sleep.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { deriveSenderKey, ManualClock } from '../../core/index.js';
import { type RunningHome, startHome } from '../../home/index.js';
import { linksWorkload } from '../../links/io/index.js';
import { parseSessionKeys } from '../../session/index.js';
import { lintWorldText } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import { ACME, ADMIN_TOKEN, writeLabFiles } from '../test-support/lab-world.js';
import { type RunningRegion, startRegion } from './start-region.js';

const REQUEST_SECRET = 'region-test-request-secret-0123456789';

describe('region and home in one process', () => {
  let dir: string;
  let home: RunningHome;
  let region: RunningRegion;
  let files: ReturnType<typeof writeLabFiles>;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-region-'));
    files = writeLabFiles(dir);
    const world = loadWorld(files.world);
    const keys = generateSigningKeys();
    home = await startHome({
      workload: linksWorkload(),
      port: 0,
      dataDir: join(dir, 'home'),
      escrowDir: join(dir, 'escrow'),
      signingKey: keys.privateKey,
      adminToken: ADMIN_TOKEN,
      requestSecret: REQUEST_SECRET,
      world,
      buildVersion: 'test',
    });
    await home.app.inject({
      method: 'PUT',
      url: '/v1/admin/partners/acme',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: ACME,
    });
    region = await startRegion({
      workload: linksWorkload(),
      world,
      name: 'eu-west-2',
      homeUrl: home.url,
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      dataDir: join(dir, 'regions'),
      escrowDir: join(dir, 'escrow'),
      configPublicKey: keys.publicKey,
      regionKey: deriveSenderKey(REQUEST_SECRET, 'region:eu-west-2'),
      sessionKeys: parseSessionKeys(`active 1\nkey 1 ${Buffer.alloc(32, 9).toString('base64')}`, 'test'),
      clock,
    });
    await region.config!.pollNow();
  });

  afterAll(async () => {
    await region?.stop();
    await home?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the region template at /status and is healthy once warm', async () => {
    const status = (await region.app.inject({ method: 'GET', url: '/status' })).json();
    expect(status).toMatchObject({
      kind: 'region',
      name: 'eu-west-2',
      buildVersion: 'test',
      config: { name: 'links-config', warm: true, version: home.publisher.lastVersion() },
      limits: { maxBodyBytes: 8192, partnerRps: 100000 },
      knobs: { configPollMs: 200, outboxFlushMs: 50 },
    });
    const health = await region.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.headers['x-meridian-region']).toBe('eu-west-2');
  });

  it('adopts a world that only adds a region, and refuses one that changes its knobs', async () => {
    const before = loadWorld(files.world);
    const text = readFileSync(files.world, 'utf8');
    const added = lintWorldText(
      text.replace(
        /^regions:\n/m,
        'regions:\n  ap-southeast-1: { cidr: 10.99.0.0/16, address: 127.0.9.1 }\n',
      ),
    ).world!;
    expect(added.hash).not.toBe(before.hash);
    const status = async () => (await region.app.inject({ method: 'GET', url: '/status' })).json();
    expect(region.adoptWorld(added)).toEqual({ adopted: true, restartNeeded: [] });
    expect((await status()).worldHash).toBe(added.hash);
    expect(home.adoptWorld(added)).toEqual({ adopted: true, restartNeeded: [] });
    expect((await home.app.inject({ method: 'GET', url: '/status' })).json().worldHash).toBe(added.hash);

    const knob = lintWorldText(text.replace('outboxFlushMs: 50', 'outboxFlushMs: 75')).world!;
    expect(region.adoptWorld(knob)).toEqual({ adopted: false, restartNeeded: ['knobs.outboxFlushMs'] });
    expect((await status()).worldHash).toBe(added.hash);
    expect((await status()).knobs.outboxFlushMs).toBe(50);
  });

  it('enforces a revocation made at home after at most one (jittered) poll interval', async () => {
    const start = await region.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { partnerId: 'acme', device: 'ios' },
    });
    const { sessionId } = start.json() as { sessionId: string };
    const link = () =>
      region.app.inject({
        method: 'POST',
        url: '/v1/links',
        headers: { authorization: `Session ${sessionId}` },
        payload: { destination: 'https://shop.example/' },
      });
    expect((await link()).statusCode).toBe(201);
    const revoke = await home.app.inject({
      method: 'POST',
      url: '/v1/admin/revocations',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { partnerId: 'acme', issuedBefore: new Date(clock.now() + 1000).toISOString() },
    });
    expect(revoke.statusCode).toBe(201);
    expect((await link()).statusCode).toBe(201);
    // The next poll is a timer on the manual clock, due within the interval plus 20 % jitter.
    const polled = once(region.config!, 'meridian:config:poll');
    clock.advance(region.settings.configPollMs * 1.2);
    await polled;
    const refused = await link();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('revoked');
  });
});
