// Public surface of meridian/health: the region's own checks, drain switch, /healthz and /livez.
// Adapters (disk, network, timers, processes) are in meridian/health/io, so that importing this loads none.
export { evaluateHealth, type HealthReport } from './evaluate-health.js';
export type { CheckOutcome, CheckResult, HealthCheck } from './health-check.js';
export { HealthRegistry, type HealthRegistryOptions } from './health-registry.js';
export {
  type ShutdownFailure,
  ShutdownStack,
  shutdownIncomplete,
} from './shutdown-stack.js';
