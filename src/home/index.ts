// Public surface of meridian/home: home's stores, routes and composition root.
export { type BaselineSessionRow, BaselineStore } from './baseline-store.js';
export { ConfigStore, type RevocationInput, type RevocationRow } from './config-store.js';
export { ConfigVersionStore } from './config-version-store.js';
export type { HomeDatabase, Row, SqlValue } from './home-database.js';
export { HOME_MIGRATIONS, type Migration, migrateHome } from './home-migrations.js';
export {
  type HomeRoutesDeps,
  PARTNER_EVENT_MAX_BYTES,
  registerHomeRoutes,
  type SessionIdOfResult,
  SHORT_SESSION_ID,
} from './home-routes.js';
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
export { type PartnerEvent, PartnerEventStore } from './partner-event-store.js';
export { type IngestLog, StatsProjector, type StatsProjectorOptions } from './stats-projector.js';
export { type HomeStats, readStats, recordStatsEvent, type StatsEvent } from './stats-store.js';
