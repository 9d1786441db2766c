// Home's own schema (the workload brings its tables: Workload.home.migrations), as migrations
// applied once each in version order (recorded in meridian_home_migrations). Statements are
// written to run on SQLite and PostgreSQL alike.
import { MeridianError } from '../core/index.js';
import type { HomeDatabase, Migration } from '../workload/index.js';

export const HOME_MIGRATIONS: readonly Migration[] = [
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
  {
    version: 4,
    name: "the projection's cursor for any workload (links' v2 made it for its stats)",
    statements: [
      `CREATE TABLE IF NOT EXISTS stats_cursor (
        name TEXT PRIMARY KEY,
        last_id BIGINT NOT NULL
      )`,
    ],
  },
];

/**
 * Applies home's migrations and `workload`'s that `db` has not seen yet, in version order, each
 * in its own transaction; returns their versions. Throws MERIDIAN_HOME_MIGRATION_CLASH when two
 * share a version.
 */
export async function migrateHome(db: HomeDatabase, workload: readonly Migration[] = []): Promise<number[]> {
  const migrations = [...HOME_MIGRATIONS, ...workload].sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new MeridianError(
        'MERIDIAN_HOME_MIGRATION_CLASH',
        `migrations "${migrations[i - 1]!.name}" and "${migrations[i]!.name}" both have version ${migrations[i]!.version}; give the workload's its own range (src/workload/workload.ts)`,
      );
    }
  }
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
