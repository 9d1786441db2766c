// Public surface of meridian/audit: live regions diffed against the region template.
// Adapters (disk, network, timers, processes) are in meridian/audit/io, so that importing this loads none.
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
export type { Observation } from './observation.js';
