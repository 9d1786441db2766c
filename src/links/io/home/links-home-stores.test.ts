// One contract for home's stores with the links workload's tables, run on SQLite and on
// PostgreSQL (DATABASE_URL, random schema).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/index.js';
import {
  ConfigVersionStore,
  type HomeDatabase,
  type IngestLog,
  migrateHome,
  openPostgresHomeDatabase,
  openSqliteHomeDatabase,
  StatsProjector,
} from '../../../home/index.js';
import { linksConfigSchema } from '../../links-config.js';
import { linksWorkload } from '../links-workload.js';
import { BaselineStore } from './baseline-store.js';
import { ConfigStore } from './config-store.js';
import { LINKS_HOME_MIGRATIONS } from './links-home-migrations.js';
import { PartnerEventStore } from './partner-event-store.js';
import { readStats } from './stats-store.js';

const DATABASE_URL = process.env.DATABASE_URL;
const schema = `home_test_${Math.random().toString(16).slice(2, 10)}`;

const backends: [string, () => HomeDatabase][] = [
  ['sqlite', () => openSqliteHomeDatabase(':memory:')],
  [
    'postgres',
    () => {
      if (!DATABASE_URL)
        throw new Error('DATABASE_URL is not set; set it (e.g. postgres://postgres@127.0.0.1:5432/test)');
      return openPostgresHomeDatabase({ connectionString: DATABASE_URL, schema });
    },
  ],
];

afterAll(async () => {
  if (!DATABASE_URL) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

const acme = {
  id: 'acme',
  name: 'Acme',
  linkTemplate: 'https://links.example.test/l/{token}',
  allowedHosts: ['shop.example', '*.acme.example'],
  rateLimitRps: 50,
  active: true,
};

describe.each(backends)('home stores on %s', (_name, open) => {
  let db: HomeDatabase;
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 12));

  beforeAll(async () => {
    db = open();
    // Home's own (3, 4) and links' (1, 2), in version order; then nothing is left to apply.
    expect(await migrateHome(db, LINKS_HOME_MIGRATIONS)).toEqual([1, 2, 3, 4]);
    expect(await migrateHome(db, LINKS_HOME_MIGRATIONS)).toEqual([]);
    await expect(migrateHome(db, [{ version: 3, name: 'clash', statements: [] }])).rejects.toThrow(
      /both have version 3/,
    );
  });
  afterAll(() => db.close());

  it('keeps partners, revocations and settings, and builds a valid snapshot from them', async () => {
    const config = new ConfigStore(db, clock);
    await config.putPartner(acme);
    await config.putPartner({ ...acme, id: 'globex', name: 'Globex', active: false });
    await config.putPartner({ ...acme, rateLimitRps: 75 });
    expect(await config.getPartner('acme')).toEqual({ ...acme, rateLimitRps: 75 });
    expect((await config.listPartners()).map((p) => p.id)).toEqual(['acme', 'globex']);
    await config.addRevocation({ kind: 'session', sessionId: 'AAAAAAAAAAAAAAAA' });
    await config.addRevocation({ kind: 'partner', partnerId: 'globex' });
    await config.addRevocation({
      kind: 'partner-before',
      partnerId: 'acme',
      beforeMs: Date.UTC(2026, 10, 1),
    });
    await config.patchSettings({ sessionTtlSeconds: 3600 });
    const snapshot = await config.buildLinksConfig();
    expect(linksConfigSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.revocations).toEqual({
      sessions: ['AAAAAAAAAAAAAAAA'],
      partners: ['globex'],
      partnersIssuedBefore: [{ partner: 'acme', issuedBefore: '2026-11-01T00:00:00.000Z' }],
    });
    expect(snapshot.settings).toEqual({ sessionTtlSeconds: 3600, maxDestinationLength: 2048 });
    expect(await config.removeRevocation('partner', 'globex')).toBe(true);
    expect(await config.removeRevocation('partner', 'globex')).toBe(false);
    expect(await config.deletePartner('globex')).toBe(true);
    expect(await config.deletePartner('globex')).toBe(false);
  });

  it('keeps a version counter per config that never goes back, also under concurrent reserves', async () => {
    const versions = new ConfigVersionStore(db);
    expect(await versions.last('links')).toBe(0);
    expect(await versions.reserve('links', 1)).toBe(1);
    expect(await versions.reserve('links', 1)).toBe(2);
    expect(await versions.reserve('links', 40)).toBe(40);
    expect(await versions.reserve('links', 3)).toBe(41);
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => versions.reserve('links', 1)));
    expect(new Set(concurrent).size).toBe(8);
    expect(Math.min(...concurrent)).toBe(42);
    expect(await versions.last('links')).toBe(49);
    expect(await versions.last('other')).toBe(0);
  });

  it('stores a partner event once and acknowledges replays', async () => {
    const events = new PartnerEventStore(db, clock);
    const first = await events.record({
      eventId: 'e-1',
      partnerId: 'acme',
      type: 'order',
      payload: { total: 3 },
    });
    clock.advance(1000);
    const replay = await events.record({
      eventId: 'e-1',
      partnerId: 'acme',
      type: 'order',
      payload: { total: 999 },
    });
    expect(first.stored).toBe(true);
    expect(replay).toEqual({ stored: false, receivedAtMs: first.receivedAtMs });
    expect(await events.count('acme')).toBe(1);
  });

  it('keeps baseline rows', async () => {
    const rows = new BaselineStore(db, clock);
    const s = await rows.createSession('acme', 'ios');
    expect(await rows.getSession(s.id)).toEqual(s);
    expect(await rows.getSession('s-nope')).toBeUndefined();
    const link = await rows.createLink(s.id, 'acme', 'https://shop.example/');
    expect(await rows.getLinkDestination(link)).toBe('https://shop.example/');
  });

  it('folds ingested events into stats exactly once, across calls', async () => {
    const at = Date.UTC(2026, 10, 28, 9);
    const log: { id: number; topic: string; payload: unknown; storedAtMs: number }[] = [];
    const add = (topic: string, payload: unknown) =>
      log.push({ id: log.length + 1, topic, payload, storedAtMs: at });
    const ingest: IngestLog = {
      list: async ({ afterId = 0, limit = 100 }) => log.filter((e) => e.id > afterId).slice(0, limit),
    };
    const { softWrites } = linksWorkload();
    const projector = new StatsProjector(db, ingest, {
      fold: async (tx, e) => softWrites[e.topic]?.ingest(tx, e.payload),
    });
    add('session-started', { session: 's1', partnerId: 'acme', region: 'eu', atMs: at });
    add('link-created', { session: 's1', partnerId: 'acme', region: 'eu', atMs: at });
    add('link-created', { session: 's1', partnerId: 'acme', region: 'af', atMs: at });
    add('something-else', { hello: 1 });
    expect(await projector.catchUp()).toBe(4);
    expect(await projector.catchUp()).toBe(0);
    add('session-started', { session: 's2', partnerId: 'acme', region: 'af', atMs: at + 86_400_000 });
    add('link-created', { session: 's2', partnerId: 'acme', region: 'af', atMs: at + 86_400_000 });
    await projector.catchUp();
    expect(await readStats(db)).toEqual({
      dailyActiveSessions: { '2026-11-28': { acme: 1 }, '2026-11-29': { acme: 1 } },
      linksCreated: { acme: { af: 2, eu: 1 } },
    });
  });
});
