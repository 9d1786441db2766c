// Public surface of meridian/workload: what a service brings to Meridian's region and home.
export type {
  HomeWorkloadContext,
  RegionAppOptions,
  RegionWorkloadContext,
  SoftWrite,
  Workload,
  WorkloadDatabase,
  WorkloadMigration,
} from './workload.js';
