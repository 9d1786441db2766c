// Public surface of meridian/health: the region's own checks, drain switch, /healthz and /livez.
export { evaluateHealth, type HealthReport } from './evaluate-health.js';
export type { CheckOutcome, CheckResult, HealthCheck } from './health-check.js';
export { HealthRegistry, type HealthRegistryOptions } from './health-registry.js';
export { type HealthRoutesOptions, healthRoutes } from './io/health-routes.js';
export {
  installSignalDrain,
  type SignalDrain,
  type SignalDrainOptions,
  type SignalSource,
} from './io/install-signal-drain.js';
export {
  type ShutdownFailure,
  ShutdownStack,
  shutdownIncomplete,
} from './shutdown-stack.js';
