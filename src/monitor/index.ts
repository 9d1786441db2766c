// Public surface of meridian/monitor: probes → flap guard → immutable health table.
export { applyProbe, type FlapGuard, type FlapThresholds, INITIAL_FLAP_GUARD } from './flap-guard.js';
export {
  type DrainEvent,
  HealthMonitor,
  type HealthMonitorOptions,
  MONITOR_EVENTS,
  type ProbeEvent,
  type ProbeStatus,
  type StateChangeEvent,
} from './health-monitor.js';
export type { Probe, ProbeResult, ProbeTarget } from './probe.js';
export { probeTargetOf, sameProbeTarget } from './probe-target-of.js';
export {
  BODY_LIMIT_BYTES,
  type ResponseVerdict,
  responseVerdict,
  statusExpected,
} from './response-verdict.js';
