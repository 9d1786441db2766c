// Public surface of meridian/core: time, randomness, errors, freezing, IP prefixes and signed requests.
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
export { type Random, seededRandom, systemRandom } from './random.js';
export {
  checkSignedHeaders,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  decodeSenderKey,
  deriveSenderKey,
  EMPTY_SHA256,
  encodeSenderKey,
  parseSender,
  partnerSender,
  type RequestToSign,
  regionSender,
  SENDER_KEY_BYTES,
  SIGNATURE_HEADERS,
  type SignatureCheck,
  type SignedHeadersToCheck,
  sha256Hex,
  signRequest,
} from './request-signature.js';
