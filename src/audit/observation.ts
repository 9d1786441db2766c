// What asking one endpoint for `/status` found: a valid status, or why there was none.
import type { RegionStatus } from '../world/index.js';
import type { AuditTarget } from './audit-targets.js';

export type Observation =
  | { readonly target: AuditTarget; readonly ok: true; readonly status: RegionStatus }
  | {
      readonly target: AuditTarget;
      readonly ok: false;
      /** True when something answered HTTP (with an error status or a body that is not a status). */
      readonly answered: boolean;
      readonly reason: string;
    };
