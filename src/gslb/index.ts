// Public surface of meridian/gslb: the `meridian dns` program as a component.
export { type AdminApi, buildAdminApi } from './admin-api.js';
export {
  DEFAULT_ADMIN,
  DEFAULT_LISTEN,
  Gslb,
  type GslbOptions,
  type HostPort,
  isLoopback,
  type ReloadResult,
} from './gslb.js';
export { GslbMetrics } from './gslb-metrics.js';
export { type RolloutOverrides, withRollouts } from './with-rollouts.js';
