// Public surface of meridian/policy: where a client is and which regions it gets, pure and cached.
export { answerTtlSeconds } from './answer-ttl.js';
export {
  ClientLocator,
  type GeoLookup,
  type LocationClass,
  MAX_GEOIP_CLASSES,
  UNKNOWN_CLASS,
} from './client-locator.js';
export {
  answerScope,
  type CompiledHostname,
  CompiledPolicy,
  compilePolicy,
  type PolicyDecision,
  type StageTrace,
} from './compiled-policy.js';
export { type ClientSpec, type Explanation, explainQuery, parseClientSpec } from './explain-query.js';
export { openGeoIpDatabase } from './io/open-geoip-database.js';
export { PIPELINE, type Stage, type StageContext } from './pipeline.js';
export {
  hostnameSeed,
  ROLLOUT_BUCKETS,
  ROLLOUT_PREFIX_V4,
  ROLLOUT_PREFIX_V6,
  rolloutBucket,
} from './rollout-bucket.js';
