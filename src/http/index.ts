// Public surface of meridian/http: what every Meridian HTTP listener shares — deadlines and
// Adapters (disk, network, timers, processes) are in meridian/http/io, so that importing this loads none.
// connection caps, the admin-token policy, and the admin guard (Host, Origin, JSON, token).
export { bearerTokenMatches } from './bearer-token-matches.js';
export { type AdminExposure, checkAdminExposure } from './check-admin-exposure.js';
export {
  type AdminRequestFacts,
  type AdminRequestPolicy,
  type AdminVerdict,
  checkAdminRequest,
} from './check-admin-request.js';
export { clientKeyOf } from './client-key.js';
export { type Admission, type ConnectionCaps, ConnectionTable } from './connection-table.js';
export {
  DEFAULT_HTTP_LIMITS,
  type HttpLimitOverrides,
  type HttpLimits,
  reservedFileDescriptors,
  resolveHttpLimits,
} from './http-limits.js';
export { isLoopbackHost } from './is-loopback-host.js';
export { ADMIN_TOKEN_MAX_CHARS, ADMIN_TOKEN_MIN_CHARS, parseAdminToken } from './parse-admin-token.js';
