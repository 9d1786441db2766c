// Public surface of meridian/workload: what a service brings to Meridian's region and home.

export type { HomeDatabase, Migration, Row, SqlValue } from './home-database.js';
export { lintWorkload, type WorkloadFinding } from './lint-workload.js';
export type {
  HomeOnlyRoute,
  HomeWorkloadContext,
  RegionAppOptions,
  RegionWorkloadContext,
  RegionWorkloadParts,
  SoftWrite,
  Workload,
  WorkloadDatabase,
  WorkloadMigration,
} from './workload.js';
