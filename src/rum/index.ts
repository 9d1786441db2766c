// Public surface of meridian/rum: real-user latency, from a client's beacon report to the data
// of the latency snapshot that home publishes. Pure: no I/O.
export {
  type BeaconObservation,
  type BeaconReport,
  beaconReportSchema,
  MAX_REGIONS_PER_REPORT,
  MAX_REPORTED_RTT_MS,
} from './beacon-report.js';
export { CLIENT_SUBNET_V4, CLIENT_SUBNET_V6, clientKey } from './client-key.js';
export {
  LATENCY_SNAPSHOT_NAME,
  type LatencyEntry,
  type LatencySnapshotData,
  latencyEntrySchema,
  latencySnapshotDataSchema,
} from './latency-snapshot-data.js';
export {
  DEFAULT_RTT_WEIGHTS,
  foldRtt,
  type RttAverage,
  type RttAverageWeights,
} from './rtt-average.js';
export { DEFAULT_RUM_SETTINGS, RumAggregator, type RumSettings } from './rum-aggregator.js';
export {
  clearlyBetter,
  DEFAULT_ORDER_TOLERANCE,
  type OrderTolerance,
  stableOrder,
} from './stable-order.js';
