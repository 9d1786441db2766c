// The profiles workload through the real runtimes: home (SQLite) and a region on loopback,
// reading users through a real Redis (random key prefix): a preference set in the region is
// relayed home, published, loaded into Redis under a new version and read back; erasure is
// home-only, and the workload lint refuses a region that serves it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { requireRedisUrl } from '../../config/test-support/redis-url.js';
import { deriveSenderKey } from '../../core/index.js';
import { type RunningHome, startHome } from '../../home/index.js';
import { type RunningRegion, startRegion } from '../../region/index.js';
import { ADMIN_TOKEN, writeLabFiles } from '../../region/test-support/lab-world.js';
import { parseSessionKeys } from '../../session/index.js';
import { lintWorkload } from '../../workload/index.js';
import { loadWorld } from '../../world/io/index.js';
import type { ProfilesConfig } from '../profiles-config.js';
import { profilesWorkload } from './profiles-workload.js';

const SECRET = 'profiles-test-request-secret-0123456789';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the profiles workload', () => {
  let dir: string;
  let redis: Redis;
  let home: RunningHome<ProfilesConfig>;
  let region: RunningRegion<ProfilesConfig>;
  const prefix = `meridian-test:profiles:${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-profiles-'));
    redis = new Redis(requireRedisUrl(), { maxRetriesPerRequest: 1 });
    const world = loadWorld(writeLabFiles(dir).world);
    const keys = generateSigningKeys();
    home = await startHome({
      workload: profilesWorkload(),
      port: 0,
      dataDir: join(dir, 'home'),
      escrowDir: join(dir, 'escrow'),
      signingKey: keys.privateKey,
      adminToken: ADMIN_TOKEN,
      requestSecret: SECRET,
      world,
      buildVersion: 'test',
    });
    region = await startRegion({
      workload: profilesWorkload({ redis, redisKeyPrefix: prefix }),
      world,
      name: 'eu-west-2',
      homeUrl: home.url,
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      dataDir: join(dir, 'region'),
      configPublicKey: keys.publicKey,
      regionKey: deriveSenderKey(SECRET, 'region:eu-west-2'),
      sessionKeys: parseSessionKeys(`active 1\nkey 1 ${Buffer.alloc(32, 5).toString('base64')}`, 'test'),
    });
  });
  afterAll(async () => {
    await region?.stop();
    await home?.stop();
    if (redis) {
      const left = await redis.keys(`${prefix}:*`);
      if (left.length) await redis.del(...left);
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (user: string) => region.app.inject({ method: 'GET', url: `/v1/profiles/${user}` });
  /** Publishes at home, then waits until the region serves that version through Redis. */
  const publishAndWait = async () => {
    const res = await home.app.inject({
      method: 'POST',
      url: '/v1/admin/profiles/publish',
      headers: admin,
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    const { configVersion } = res.json() as { configVersion: number };
    await region.config!.pollNow();
    await until(`Redis at v${configVersion}`, async () =>
      Number(await redis.get(`${prefix}:ptr`)) >= configVersion ? true : undefined,
    );
    return configVersion;
  };

  it('relays a write home, publishes it, and reads it back through Redis', async () => {
    await region.config!.pollNow();
    await until('healthy (config and Redis warm)', async () =>
      (await region.app.inject({ method: 'GET', url: '/healthz' })).statusCode === 200 ? true : undefined,
    );
    expect((await get('ada')).json()).toEqual({ user: 'ada', preferences: {}, region: 'eu-west-2' });
    const put = await region.app.inject({
      method: 'PUT',
      url: '/v1/profiles/ada/preferences/theme',
      payload: { value: 'dark' },
    });
    expect(put.statusCode).toBe(202);
    // The outbox reaches home's ingest; publishing folds it into the next snapshot.
    await until('the write at home', async () => {
      const res = await home.app.inject({ method: 'GET', url: '/v1/stats' });
      return (res.json() as { users: number }).users === 1 ? true : undefined;
    });
    const version = await publishAndWait();
    expect((await get('ada')).json().preferences).toEqual({ theme: 'dark' });
    // Versioned keys behind one pointer: the version switch was atomic, older versions removed.
    expect(await redis.get(`${prefix}:ptr`)).toBe(String(version));
    expect(await redis.keys(`${prefix}:v${version - 1}:*`)).toEqual([]);
  });

  it('erases a user at home only (admin-guarded), and the region follows with the snapshot', async () => {
    const refused = await home.app.inject({ method: 'DELETE', url: '/v1/admin/profiles/ada', payload: {} });
    expect(refused.statusCode).toBe(401);
    const erased = await home.app.inject({
      method: 'DELETE',
      url: '/v1/admin/profiles/ada',
      headers: admin,
      payload: {},
    });
    expect(erased.statusCode).toBe(200);
    await region.config!.pollNow();
    await until('erasure in Redis', async () =>
      Object.keys(((await get('ada')).json() as { preferences: object }).preferences).length === 0
        ? true
        : undefined,
    );
    expect((await region.app.inject({ method: 'DELETE', url: '/v1/profiles/ada' })).statusCode).toBe(404);
  });

  it('passes the workload lint, and a variant serving erasure in the region does not', async () => {
    expect(await lintWorkload(profilesWorkload())).toEqual([]);
    const base = profilesWorkload();
    const leaky: typeof base = {
      ...base,
      registerRegion(ctx) {
        const parts = base.registerRegion(ctx);
        ctx.app.delete('/v1/profiles/:user', async () => ({ erased: true }));
        return parts;
      },
    };
    const findings = await lintWorkload(leaky);
    expect(findings.map((f) => f.code)).toEqual(['home-only-write-in-region']);
    expect(findings[0]!.message).toContain('DELETE /v1/profiles/:user must stay home');
  });
});
