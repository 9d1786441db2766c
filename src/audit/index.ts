// Public surface of meridian/audit: live regions diffed against the region template.
export {
  type AuditTarget,
  type AuditTargetOptions,
  auditTargets,
  endpointKey,
  homeStatusEndpoint,
  MAX_DISCOVERY_TARGETS,
  parseEndpoint,
} from './audit-targets.js';
export {
  type AuditChange,
  type AuditOptions,
  type AuditReport,
  auditWorld,
  diffStatus,
  type RegionAudit,
  type Snapshot,
} from './audit-world.js';
export { formatAuditPlan, type PlanFormatOptions } from './format-audit-plan.js';
export { fetchStatus } from './io/fetch-status.js';
export { type ObserveOptions, observeTargets } from './io/observe-targets.js';
export type { Observation } from './observation.js';
