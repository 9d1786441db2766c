// Public surface of meridian/world: the world file's schema, linting and the resolved World.
// Adapters (disk, network, timers, processes) are in meridian/world/io, so that importing this loads none.
export { type Diagnostic, type Finding, formatPath, type Severity } from './diagnostic.js';
export {
  type BodyMatch,
  type CheckType,
  DEFAULT_EXPECT_STATUS,
  defaultStaleAfterMs,
  type HealthCheck,
  minimumStaleAfterMs,
  normalizePin,
  type StatusRange,
} from './health-check.js';
export { LINT_RULES, type LintRule } from './lint-rules.js';
export { type LintWork, noLintWork } from './lint-work.js';
export { formatDiagnostic, type LintOptions, type LintResult, lintWorldText } from './lint-world.js';
export { placementOf, relativeHostname } from './placement.js';
export {
  type DeclaredOverride,
  type ExpectedRegionStatus,
  type ExpectedStatusOptions,
  expectedRegionStatus,
  type KnobValue,
  type LiveRegionFacts,
  type RegionStatus,
  type RegionTemplate,
  regionStatus,
  regionStatusSchema,
  regionTemplate,
} from './region-template.js';
export type { Hostname, Network, Region, Rollout, Service, Vantage, World } from './world.js';
export { buildWorld } from './world.js';
export { type WorldAdoption, worldAdoption, worldChangeForRegion } from './world-change-for-region.js';
export { worldJsonSchema } from './world-json-schema.js';
export {
  DEFAULT_ACCESS_RTT_MS,
  type HealthInput,
  type HealthSettings,
  type Quorum,
  type RegionOverrides,
  type TemplateInput,
  type VantageInput,
  type WorldInput,
  worldSchema,
} from './world-schema.js';
