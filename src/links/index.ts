// Public surface of meridian/links: the regional links workload and its config snapshot schema.
// Adapters (disk, network, timers, processes) are in meridian/links/io, so that importing this loads none.

export { type BaselineDeps, type BaselineHome, registerBaselineRoutes } from './baseline-routes.js';
export { checkDestination, checkDestinationShape, type DestinationCheck } from './check-destination.js';
export { CLIENT_IPV6_PREFIX_LENGTH, clientPrefix } from './client-prefix.js';
export { type ApiErrorBody, installJsonErrors, sendError } from './json-errors.js';
export { renderLink } from './link-template.js';
export {
  createLinkTokenCodec,
  type LinkDecodeResult,
  type LinkKey,
  type LinkPayload,
  type LinkTokenCodec,
  MAX_LINK_TOKEN_CHARS,
} from './link-token.js';
export {
  DEFAULT_LINKS_SETTINGS,
  type LinksConfig,
  type LinksSettings,
  linksConfigSchema,
  linksSettingsSchema,
  PARTNER_ID_PATTERN,
  type Partner,
  partnerSchema,
  type Revocations,
  revocationsSchema,
} from './links-config.js';
export {
  LINK_CREATED,
  type LinksDeps,
  type LinksEvents,
  type LinksSession,
  type LinksSessions,
  linkKey,
  registerLinksRoutes,
  SESSION_STARTED,
  type SessionCheck,
} from './links-routes.js';
export { createLinksSessions, deriveLinkKeys, linksSessionFormat } from './links-sessions.js';
export {
  MAX_DEVICE_CHARS,
  MAX_SESSION_ID_CHARS,
  type Parsed,
  parseLinkRequest,
  parseSessionHeader,
  parseSessionRequest,
} from './parse-session-request.js';
export { findPartner } from './partner-directory.js';
export {
  PartnerRateLimiter,
  type PartnerRateLimiterOptions,
  type RateDecision,
  rateLimitError,
} from './partner-rate-limiter.js';
export { type BucketDecision, TokenBuckets } from './token-buckets.js';
