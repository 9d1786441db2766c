// How stale a published health table can be: the worst case from a failure to the table showing it.
import type { HealthSettings } from '../world/index.js';

/**
 * Upper bound (ms) from a region starting to fail to the monitor publishing it down, when the
 * monitor is not starved: the failure may begin just after a probe started (up to one
 * interval until the next), then `fall` probes spaced one interval apart, the last taking up
 * to its timeout: `fall × intervalMs + timeoutMs` (recovery: the same with `rise`). The DNS
 * policy can cap answer TTLs with it so no answer outlives the health data it was based on.
 */
export function detectionBoundMs(h: Pick<HealthSettings, 'intervalMs' | 'timeoutMs' | 'fall'>): number {
  return Math.max(1, h.fall) * Math.max(h.intervalMs, h.timeoutMs) + h.timeoutMs;
}
