// How long a dead region can still be answered: the detection window (failure → table shows it)
// plus the TTL resolvers may cache an answer for. The one formula for the TTL cap, the drain
// grace and the tests (decision 0022).
import type { HealthSettings } from '../world/index.js';

/** The probe settings the detection window depends on. */
export type DetectionSettings = Pick<HealthSettings, 'intervalMs' | 'timeoutMs' | 'fall'>;

/**
 * Upper bound (ms) from a region starting to fail to a health table showing it down, when the
 * prober is not starved. The failure may begin just after a probe started (that probe can still
 * pass), then `fall` failing probes follow, each starting one period after the previous one's
 * start, the period being `max(intervalMs, timeoutMs)` (a probe never overlaps the previous one),
 * and the last may take its whole timeout: `fall × max(intervalMs, timeoutMs) + timeoutMs`.
 */
export function detectionWindowMs(h: DetectionSettings): number {
  return Math.max(1, h.fall) * Math.max(h.intervalMs, h.timeoutMs) + h.timeoutMs;
}

/**
 * How long (ms) a region that died can still be handed to clients: the detection window, plus
 * `ttlSeconds` during which a resolver may serve an answer it got just before the table changed.
 * A region draining on SIGTERM keeps serving this long.
 */
export function deadRegionAnsweredMs(h: DetectionSettings, ttlSeconds: number): number {
  return detectionWindowMs(h) + ttlSeconds * 1000;
}
