// Public surface of meridian/policy: where a client is and which regions it gets, pure and cached.
export { answerTtlSeconds } from './answer-ttl.js';
export { ClientClassification } from './client-classification.js';
export {
  ClientLocator,
  type GeoLookup,
  type LocatedClient,
  type LocationClass,
  MAX_GEOIP_CLASSES,
  UNKNOWN_CLASS,
} from './client-locator.js';
export { type ClientSpec, type Explanation, explainQuery, parseClientSpec } from './explain-query.js';
export { PIPELINE, type Stage, type StageContext } from './pipeline.js';
export {
  hostnameSeed,
  ROLLOUT_BUCKETS,
  ROLLOUT_PREFIX_V4,
  ROLLOUT_PREFIX_V6,
  rolloutBucket,
} from './rollout-bucket.js';
export {
  NO_OVERRIDES,
  type RolloutOverrides,
  type SteeringOverrides,
  withRollouts,
} from './steering-overrides.js';
export {
  answerScope,
  type ClientSubnet,
  type CompiledHostname,
  compileSteering,
  type PolicyDecision,
  type SourceAddress,
  type StageTrace,
  type SteeringOptions,
  SteeringSnapshot,
} from './steering-snapshot.js';
