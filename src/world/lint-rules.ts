// The ordered list of semantic lint rules, run after the schema holds. Add a rule here and
// document it in docs/rules.md.
import type { Finding } from './diagnostic.js';
import type { LintWork } from './lint-work.js';
import { checkAddresses, checkCidrs, checkLocations } from './rules/addressing.js';
import { checkDatastoreOwners } from './rules/datastores.js';
import { checkHealth } from './rules/health.js';
import { checkHostnames } from './rules/hostnames.js';
import { checkRecords } from './rules/records.js';
import { checkDuplicateNames, checkReferences } from './rules/references.js';
import { checkDependencyCycles, checkTopology } from './rules/topology.js';
import { checkVantages } from './rules/vantages.js';
import type { WorldInput } from './world-schema.js';

/** A semantic rule; `work` counts its steps over unbounded data (see lint-work.ts). */
export type LintRule = (world: WorldInput, work?: LintWork) => Finding[];

export const LINT_RULES: readonly LintRule[] = [
  checkReferences,
  checkDuplicateNames,
  checkCidrs,
  checkAddresses,
  checkLocations,
  checkTopology,
  checkDependencyCycles,
  checkDatastoreOwners,
  checkHostnames,
  checkHealth,
  checkVantages,
  checkRecords,
];
