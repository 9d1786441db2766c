// Public surface of meridian/gslb: the `meridian dns` program as a component.

/** Kept under its old name; the one definition is the http module's `isLoopbackHost`. */
export { isLoopbackHost as isLoopback } from '../http/index.js';
export { type AdminApi, type AdminApiOptions, buildAdminApi } from './admin-api.js';
export {
  DEFAULT_ADMIN,
  DEFAULT_LISTEN,
  Gslb,
  type GslbOptions,
  type HostPort,
  type ReloadResult,
} from './gslb.js';
export { GslbMetrics } from './gslb-metrics.js';
export { SteeringPublisher, type SteeringPublisherOptions } from './steering-publisher.js';
