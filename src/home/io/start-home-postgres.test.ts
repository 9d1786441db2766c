// Home on PostgreSQL (DATABASE_URL, random schema): ingest stores each event once and the stats
// count it once, on a manual clock (the projector waits 2 s for late-committing batches).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { deriveSenderKey, ManualClock, signRequest } from '../../core/index.js';
import { linksWorkload } from '../../links/io/index.js';
import { type RunningHome, startHome } from './start-home.js';

const DATABASE_URL = process.env.DATABASE_URL;
const schema = `home_pg_${Math.random().toString(16).slice(2, 10)}`;
const clock = new ManualClock(Date.UTC(2026, 10, 28, 10));
const SECRET = 'pg-home-test-request-secret-0123456789';
let dir: string;
let home: RunningHome;

beforeAll(async () => {
  if (!DATABASE_URL)
    throw new Error('DATABASE_URL is not set; set it (e.g. postgres://postgres@127.0.0.1:5432/test)');
  dir = mkdtempSync(join(tmpdir(), 'meridian-home-pg-'));
  home = await startHome({
    workload: linksWorkload(),
    port: 0,
    dataDir: dir,
    escrowDir: join(dir, 'escrow'),
    databaseUrl: DATABASE_URL,
    databaseSchema: schema,
    signingKey: generateSigningKeys().privateKey,
    adminToken: 'pg-admin-token-0123456789',
    requestSecret: SECRET,
    buildVersion: 'test',
    clock,
  });
});

afterAll(async () => {
  await home?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (!DATABASE_URL) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

it('stores a redelivered batch once and counts it once in the stats', async () => {
  const at = clock.now();
  const batch = {
    region: 'eu-west-2',
    events: [
      {
        key: 's-AAAAAAAAAAAAAAAA',
        topic: 'session-started',
        enqueuedAtMs: at,
        payload: {
          session: 'AAAAAAAAAAAAAAAA',
          partnerId: 'acme',
          device: 'ios',
          region: 'eu-west-2',
          atMs: at,
        },
      },
      {
        key: 'l-1',
        topic: 'link-created',
        enqueuedAtMs: at,
        payload: {
          session: 'AAAAAAAAAAAAAAAA',
          partnerId: 'acme',
          region: 'eu-west-2',
          host: 'shop.example',
          atMs: at,
        },
      },
    ],
  };
  const body = JSON.stringify(batch);
  const sender = 'region:eu-west-2';
  for (let i = 0; i < 2; i++) {
    const headers = signRequest({
      key: deriveSenderKey(SECRET, sender),
      sender,
      method: 'POST',
      path: '/v1/ingest',
      body,
      nowMs: clock.now(),
    });
    const res = await home.app.inject({
      method: 'POST',
      url: '/v1/ingest',
      payload: body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(200);
  }
  expect(await home.ingest.count()).toBe(2);
  expect((await home.app.inject({ method: 'GET', url: '/v1/stats' })).json()).toEqual({
    dailyActiveSessions: {},
    linksCreated: {},
  });
  clock.advance(2_001);
  expect((await home.app.inject({ method: 'GET', url: '/v1/stats' })).json()).toEqual({
    dailyActiveSessions: { '2026-11-28': { acme: 1 } },
    linksCreated: { acme: { 'eu-west-2': 1 } },
  });
});
