// The effective settings of one region: the world file's template with the region's declared
// overrides applied, read once at start-up and reported at /status.
import { expectedRegionStatus, type World } from '../world/index.js';

export interface RegionSettings {
  readonly configSnapshot: string;
  /** Largest request body (limits.maxBodyBytes, default 16 384). */
  readonly maxBodyBytes: number;
  /** Cap on every partner's rate in this region (limits.partnerRps, default none). */
  readonly partnerRps?: number;
  /** Mean time between config polls once warm (knobs.configPollMs, default 1000). */
  readonly configPollMs: number;
  /** Flusher re-check interval when idle (knobs.outboxFlushMs, default 200). */
  readonly outboxFlushMs: number;
  /** How long a woken flusher gathers commits before sending (knobs.outboxLingerMs, default 50; 0 allowed). */
  readonly outboxLingerMs: number;
}

/** Reads the region's effective limits and knobs (template plus overrides). */
export function regionSettings(world: World, region: string): RegionSettings {
  const expected = expectedRegionStatus(world, region, { defaultBuild: '' });
  const num = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
  const nonNegative = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
  const partnerRps = expected.limits.partnerRps;
  return {
    configSnapshot: expected.config.name,
    maxBodyBytes: num(expected.limits.maxBodyBytes, 16_384),
    ...(typeof partnerRps === 'number' && partnerRps > 0 ? { partnerRps } : {}),
    configPollMs: num(expected.knobs.configPollMs, 1_000),
    outboxFlushMs: num(expected.knobs.outboxFlushMs, 200),
    outboxLingerMs: nonNegative(expected.knobs.outboxLingerMs, 50),
  };
}
