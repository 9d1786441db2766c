// Public surface of meridian/home: home's database, migrations, projection and composition root
// (the workload brings its tables, routes and ingest handlers: src/workload).

export type { HomeDatabase, Migration, Row, SqlValue } from '../workload/index.js';
export { ConfigVersionStore } from './config-version-store.js';
export { HOME_MIGRATIONS, migrateHome } from './home-migrations.js';
export { ensureSecretFile } from './io/ensure-secret-file.js';
export { openPostgresHomeDatabase, type PostgresHomeOptions } from './io/postgres-home-database.js';
export { openSqliteHomeDatabase } from './io/sqlite-home-database.js';
export {
  type HomeOptions,
  MIN_REQUEST_SECRET_CHARS,
  type RunningHome,
  startHome,
} from './io/start-home.js';
export { regionKeyPath, writeRegionKeys } from './io/write-region-keys.js';
export {
  type FoldEvent,
  type IngestLog,
  StatsProjector,
  type StatsProjectorOptions,
} from './stats-projector.js';
