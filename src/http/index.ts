// Public surface of meridian/http: what every Meridian HTTP listener shares — deadlines and
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
export { type AdminGuardOptions, installAdminGuard } from './io/admin-guard.js';
export { createHttpApp, fastifyLimitOptions, type HttpAppOptions } from './io/create-http-app.js';
export { type ConnectionLimitOptions, limitConnections } from './io/limit-connections.js';
export { readOpenFileLimit } from './io/read-open-file-limit.js';
export { isLoopbackHost } from './is-loopback-host.js';
export { ADMIN_TOKEN_MAX_CHARS, ADMIN_TOKEN_MIN_CHARS, parseAdminToken } from './parse-admin-token.js';
