// Home's schema, as an ordered list of migrations applied once each (recorded in
// meridian_home_migrations). Statements are written to run on SQLite and PostgreSQL alike.
import type { HomeDatabase } from './home-database.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const HOME_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'config, partner relay and baseline rows',
    statements: [
      `CREATE TABLE partners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        link_template TEXT NOT NULL,
        allowed_hosts TEXT NOT NULL,
        rate_limit_rps INTEGER NOT NULL,
        active INTEGER NOT NULL,
        updated_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE revocations (
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        before_ms BIGINT NOT NULL,
        created_at_ms BIGINT NOT NULL,
        PRIMARY KEY (kind, subject)
      )`,
      `CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
      `CREATE TABLE partner_events (
        event_id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE baseline_sessions (
        id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL,
        device TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE baseline_links (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        destination TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'stats aggregates fed by ingest',
    statements: [
      `CREATE TABLE stats_session_days (
        day TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        session TEXT NOT NULL,
        PRIMARY KEY (day, partner_id, session)
      )`,
      `CREATE TABLE stats_links (
        day TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        region TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, partner_id, region)
      )`,
      `CREATE TABLE stats_cursor (
        name TEXT PRIMARY KEY,
        last_id BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'config version counter (numbering survives the loss of the escrow pointer)',
    statements: [
      `CREATE TABLE config_versions (
        name TEXT PRIMARY KEY,
        last_version BIGINT NOT NULL
      )`,
    ],
  },
];

/** Applies the migrations `db` has not seen yet, each in its own transaction; returns their versions. */
export async function migrateHome(
  db: HomeDatabase,
  migrations: readonly Migration[] = HOME_MIGRATIONS,
): Promise<number[]> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS meridian_home_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)',
  );
  const applied = new Set(
    (await db.query('SELECT version FROM meridian_home_migrations')).map((r) => Number(r.version)),
  );
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    await db.transaction(async (tx) => {
      // A concurrent home may have applied it meanwhile: the insert below then fails the transaction.
      for (const statement of m.statements) await tx.query(statement);
      await tx.query(
        'INSERT INTO meridian_home_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)',
        [m.version, m.name, Date.now()],
      );
    });
    done.push(m.version);
  }
  return done;
}
