// Public surface of meridian/core: time, randomness, errors, freezing and IP prefixes.
export { type Clock, ManualClock, systemClock } from './clock.js';
export { deepFreeze } from './deep-freeze.js';
export {
  formatPrefix,
  type IpPrefix,
  maskBytes,
  type ParseResult,
  parseAddress,
  parseCidr,
  prefixContains,
  prefixesOverlap,
} from './ip-prefix.js';
export { isMeridianError, MeridianError } from './meridian-error.js';
export { type Random, randomSeed, seededRandom, systemRandom } from './random.js';
