// Public surface of meridian/fleet (pure): observations, subjects, the quorum rule, and the fold
// of many vantages' observations into one verdict per region. NATS adapters: meridian/fleet/io.
export type { FleetMatrix, RegionVerdict, VantageView } from './fleet-matrix.js';
export { FleetMetrics } from './fleet-metrics.js';
export { defaultFleetName, type FleetSubjects, fleetSubjects } from './fleet-subjects.js';
export { type ApplyResult, type FleetStateChange, FleetVerdicts } from './fleet-verdicts.js';
export {
  DEFAULT_HEALTH_STREAM_LIMITS,
  type HealthStreamLimits,
  healthStreamConfig,
} from './health-stream-config.js';
export {
  decodeObservation,
  encodeObservation,
  type Observation,
  type StoredObservation,
} from './observation.js';
export { ProberMetrics } from './prober-metrics.js';
export { type QuorumVerdict, quorumThreshold, quorumVerdict } from './quorum-verdict.js';
