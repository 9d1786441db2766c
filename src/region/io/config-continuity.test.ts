// Home and a region in this process (real HTTP, SQLite, escrow directory, port 0; the region on a
// manual clock): config numbering survives home losing its escrow pointer, a region says so when
// home offers older snapshots, and a restarted region comes up from its last-good copy.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditWorld } from '../../audit/index.js';
import { fetchStatus } from '../../audit/io/index.js';
import { generateSigningKeys, pointerKey, snapshotKey } from '../../config/index.js';
import { deriveSenderKey, ManualClock } from '../../core/index.js';
import { type RunningHome, startHome } from '../../home/index.js';
import type { LinksConfig } from '../../links/index.js';
import { linksWorkload } from '../../links/io/index.js';
import { parseSessionKeys } from '../../session/index.js';
import { lintWorldText, type World } from '../../world/index.js';
import { ACME, ADMIN_TOKEN, LAB_WORLD } from '../test-support/lab-world.js';
import { type RunningRegion, startRegion } from './start-region.js';

const CONFIG = 'links-config';
const REQUEST_SECRET = 'continuity-test-request-secret-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

function worldWith(knobs: string): World {
  const r = lintWorldText(
    LAB_WORLD.replace(
      'knobs: { configPollMs: 200, outboxFlushMs: 50 }',
      `knobs: { configPollMs: 200, outboxFlushMs: 50${knobs} }`,
    ),
  );
  if (!r.world) throw new Error(JSON.stringify(r.diagnostics));
  return r.world;
}

describe('config continuity between home and a region', () => {
  let dir: string;
  const keys = generateSigningKeys();
  const sessionKeys = parseSessionKeys(`active 1\nkey 1 ${Buffer.alloc(32, 9).toString('base64')}`, 'test');
  const homes: RunningHome[] = [];
  const regions: RunningRegion<LinksConfig>[] = [];
  let clock: ManualClock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-continuity-'));
    clock = new ManualClock(Date.now());
  });
  afterEach(async () => {
    for (const r of regions.splice(0)) await r.stop();
    for (const h of homes.splice(0)) await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function home(world: World, dataDir = 'home', port = 0): Promise<RunningHome> {
    const h = await startHome({
      workload: linksWorkload(),
      port,
      dataDir: join(dir, dataDir),
      escrowDir: join(dir, 'escrow'),
      signingKey: keys.privateKey,
      adminToken: ADMIN_TOKEN,
      requestSecret: REQUEST_SECRET,
      world,
      buildVersion: 'test',
    });
    homes.push(h);
    return h;
  }

  async function stopHome(h: RunningHome): Promise<number> {
    homes.splice(homes.indexOf(h), 1);
    await h.stop();
    return Number(new URL(h.url).port);
  }

  async function region(world: World, homeUrl: string): Promise<RunningRegion<LinksConfig>> {
    const r = await startRegion({
      workload: linksWorkload(),
      world,
      name: 'eu-west-2',
      homeUrl,
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      dataDir: join(dir, 'regions'),
      escrowDir: join(dir, 'escrow'),
      configPublicKey: keys.publicKey,
      sessionKeys,
      regionKey: deriveSenderKey(REQUEST_SECRET, 'region:eu-west-2'),
      clock,
    });
    regions.push(r);
    return r;
  }

  async function stopRegion(r: RunningRegion<LinksConfig>): Promise<void> {
    regions.splice(regions.indexOf(r), 1);
    await r.stop();
  }

  const healthz = async (r: RunningRegion<LinksConfig>) => {
    const res = await r.app.inject({ method: 'GET', url: '/healthz' });
    return { status: res.statusCode, body: res.json() as { failing: string[] } };
  };

  it('continues numbering after home loses its escrow pointer, and a region applies the revocation', async () => {
    const world = worldWith('');
    const first = await home(world);
    await first.app.inject({ method: 'PUT', url: '/v1/admin/partners/acme', headers: auth, payload: ACME });
    for (let i = 0; i < 3; i++)
      await first.app.inject({ method: 'POST', url: '/v1/admin/publish', headers: auth, payload: {} });
    const before = first.publisher.lastVersion();
    expect(before).toBe(5);
    const r = await region(world, first.url);
    await r.config!.pollNow();
    expect(r.config!.version()).toBe(before);
    const session = await r.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { partnerId: 'acme', device: 'ios' },
    });
    const { sessionId } = session.json() as { sessionId: string };
    const link = () =>
      r.app.inject({
        method: 'POST',
        url: '/v1/links',
        headers: { authorization: `Session ${sessionId}` },
        payload: { destination: 'https://shop.example/' },
      });
    expect((await link()).statusCode).toBe(201);

    // Home loses its escrow pointer (the file is removed) and restarts on the same port.
    const port = await stopHome(first);
    await rm(join(dir, 'escrow', pointerKey(CONFIG)));
    const second = await home(world, 'home', port);
    expect(second.publisher.lastVersion()).toBeGreaterThan(before);

    const revoke = await second.app.inject({
      method: 'POST',
      url: '/v1/admin/revocations',
      headers: auth,
      payload: { partnerId: 'acme', issuedBefore: new Date(clock.now() + 1000).toISOString() },
    });
    expect(revoke.statusCode).toBe(201);
    expect(await r.config!.pollNow()).toMatchObject({ outcome: 'accepted', source: 'home' });
    expect(r.config!.version()).toBe(second.publisher.lastVersion());
    const refused = await link();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.message).toContain('revoked');
  });

  it('says so when home offers older snapshots N polls in a row: event once, metric, /status, audit, then /healthz', async () => {
    const world = worldWith(', configOlderAlertPolls: 3, configOlderUnhealthyMs: 60000');
    const first = await home(world);
    for (let i = 0; i < 3; i++)
      await first.app.inject({ method: 'POST', url: '/v1/admin/publish', headers: auth, payload: {} });
    const r = await region(world, first.url);
    await r.config!.pollNow();
    expect(r.config!.version()).toBe(4);
    const alerts: unknown[] = [];
    r.config!.on('meridian:config:older-streak', (e) => alerts.push(e));

    // Home loses its database and its escrow pointer: both records of the last version.
    const port = await stopHome(first);
    await rm(join(dir, 'escrow', pointerKey(CONFIG)));
    const second = await home(world, 'home-rebuilt', port);
    expect(second.publisher.lastVersion()).toBe(1);

    for (let i = 0; i < 2; i++) expect(await r.config!.pollNow()).toMatchObject({ outcome: 'unchanged' });
    expect(alerts).toEqual([]);
    expect(
      (await r.app.inject({ method: 'GET', url: '/status' })).json().config.rejectingOlder,
    ).toBeUndefined();
    for (let i = 0; i < 3; i++) await r.config!.pollNow();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ polls: 3, source: 'home', offeredVersion: 1, heldVersion: 4 });
    const metrics = (await r.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`meridian_config_older_streak_polls{config="${CONFIG}"} 5`);
    expect(metrics).toMatch(
      new RegExp(
        `meridian_config_rejections_total{config="${CONFIG}",source="home",reason="older-version"} 5`,
      ),
    );

    const status = (await r.app.inject({ method: 'GET', url: '/status' })).json();
    expect(status.config).toMatchObject({
      version: 4,
      rejectingOlder: {
        polls: 5,
        source: 'home',
        offeredVersion: 1,
        since: new Date(clock.now()).toISOString(),
      },
    });
    const port2 = Number(new URL(r.url).port);
    const observation = await fetchStatus(
      {
        host: '127.0.0.1',
        port: port2,
        url: `${r.url}/status`,
        declared: { name: 'eu-west-2', kind: 'region' },
        origin: 'declared',
      },
      5_000,
    );
    const report = auditWorld(world, [observation], { defaultBuild: 'test', nowMs: clock.now() });
    expect(report.drift).toBe(true);
    expect(report.regions[0]!.changes).toContainEqual(
      expect.objectContaining({ path: 'config.rejectingOlder', live: 5, declared: 0 }),
    );

    // Green until the streak has lasted configOlderUnhealthyMs, then red.
    expect((await healthz(r)).status).toBe(200);
    clock.advance(59_999);
    expect((await healthz(r)).status).toBe(200);
    clock.advance(1);
    const red = await healthz(r);
    expect(red.status).toBe(503);
    expect(red.body.failing).toEqual(['config-not-older']);
    expect(alerts).toHaveLength(1);

    // The documented recovery: set the pointer's version to the one the regions hold, restart home.
    const ended: unknown[] = [];
    r.config!.on('meridian:config:older-streak-ended', (e) => ended.push(e));
    const port3 = await stopHome(second);
    const ptrPath = join(dir, 'escrow', pointerKey(CONFIG));
    const ptr = JSON.parse(readFileSync(ptrPath, 'utf8')) as { version: number };
    writeFileSync(ptrPath, JSON.stringify({ ...ptr, version: 4 }));
    const third = await home(world, 'home-rebuilt', port3);
    expect(third.publisher.lastVersion()).toBe(5);
    expect(await r.config!.pollNow()).toMatchObject({ outcome: 'accepted', version: 5 });
    expect(ended).toEqual([{ config: CONFIG, polls: 5 }]);
    expect((await healthz(r)).status).toBe(200);
    expect(
      (await r.app.inject({ method: 'GET', url: '/status' })).json().config.rejectingOlder,
    ).toBeUndefined();
  });

  it('restarts with home down and escrow corrupt from its last-good copy, verified, and is healthy', async () => {
    const world = worldWith('');
    const h = await home(world);
    await h.app.inject({ method: 'PUT', url: '/v1/admin/partners/acme', headers: auth, payload: ACME });
    const first = await region(world, h.url);
    await first.config!.pollNow();
    expect(first.config!.version()).toBe(2);
    await stopRegion(first);
    await stopHome(h);
    writeFileSync(join(dir, 'escrow', snapshotKey(CONFIG, 2)), '{"format":"meridian-config/1","payload":"x"');

    const restarted = await region(world, h.url);
    await restarted.config!.pollNow();
    expect(restarted.config!.isWarm()).toBe(true);
    expect(restarted.config!.version()).toBe(2);
    expect(restarted.config!.get().partners.map((p) => p.id)).toEqual(['acme']);
    expect((await healthz(restarted)).status).toBe(200);
    expect((await restarted.app.inject({ method: 'GET', url: '/status' })).json().config.version).toBe(2);
  });

  it('does not start from a last-good copy that fails verification', async () => {
    const world = worldWith('');
    const h = await home(world);
    const first = await region(world, h.url);
    await first.config!.pollNow();
    expect(first.config!.isWarm()).toBe(true);
    await stopRegion(first);
    await stopHome(h);
    rmSync(join(dir, 'escrow'), { recursive: true, force: true });
    const copy = readdirSync(join(dir, 'regions')).find((f) => f.includes('last-good'));
    expect(copy).toBeDefined();
    const path = join(dir, 'regions', copy!);
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { savedAtMs: number; envelope: string };
    const envelope = JSON.parse(Buffer.from(saved.envelope, 'base64').toString('utf8')) as Record<
      string,
      string
    >;
    envelope.signature = Buffer.alloc(64, 1).toString('base64');
    saved.envelope = Buffer.from(JSON.stringify(envelope)).toString('base64');
    writeFileSync(path, JSON.stringify(saved));

    const restarted = await region(world, h.url);
    await restarted.config!.pollNow();
    expect(restarted.config!.isWarm()).toBe(false);
    expect((await healthz(restarted)).status).toBe(503);
  });
});
