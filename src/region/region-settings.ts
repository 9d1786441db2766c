// The effective settings of one region: the world file's template with the region's declared
// overrides applied, read once at start-up and reported at /status.
import { MeridianError } from '../core/index.js';
import { expectedRegionStatus, type World } from '../world/index.js';

export interface RegionSettings {
  readonly configSnapshot: string;
  /** Largest request body (limits.maxBodyBytes, default 16 384). */
  readonly maxBodyBytes: number;
  /** Cap on every partner's rate in this region (limits.partnerRps, default none). */
  readonly partnerRps?: number;
  /** Share of a partner's rate one client may use for new sessions, in percent (limits.clientSharePercent, default 10). */
  readonly clientSharePercent: number;
  /** Mean time between config polls once warm (knobs.configPollMs, default 1000). */
  readonly configPollMs: number;
  /** Flusher re-check interval when idle (knobs.outboxFlushMs, default 200). */
  readonly outboxFlushMs: number;
  /** How long a woken flusher gathers commits before sending (knobs.outboxLingerMs, default 50; 0 allowed). */
  readonly outboxLingerMs: number;
  /** Polls in a row offering an older config before the region says so (knobs.configOlderAlertPolls, default 5). */
  readonly configOlderAlertPolls: number;
  /** How long such a run lasts before /healthz turns red (knobs.configOlderUnhealthyMs, default 300 000; 0: never). */
  readonly configOlderUnhealthyMs: number;
  /** Oldest last-good copy a restarted region starts from (knobs.configLastGoodMaxAgeMs, default 86 400 000; 0: no copy). */
  readonly configLastGoodMaxAgeMs: number;
}

/** Reads the region's effective limits and knobs (template plus overrides). */
export function regionSettings(world: World, region: string): RegionSettings {
  const expected = expectedRegionStatus(world, region, { defaultBuild: '' });
  /** A declared number (`> 0`, or `>= 0` with `zeroOk`), else `fallback` when absent; throws when invalid. */
  const setting = (where: 'limits' | 'knobs', key: string, fallback: number, zeroOk = false): number => {
    const v = expected[where][key];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && (zeroOk ? v >= 0 : v > 0)) return v;
    throw new MeridianError(
      'MERIDIAN_REGION_MISCONFIGURED',
      `region ${region}: ${where}.${key} is ${JSON.stringify(v)}, not a number ${zeroOk ? '>= 0' : '> 0'}; ` +
        `fix template.${where}.${key} (or regions.${region}.overrides.${where}.${key}) in the world file`,
    );
  };
  const partnerRps = expected.limits.partnerRps;
  const clientSharePercent = setting('limits', 'clientSharePercent', 10);
  if (clientSharePercent > 100) {
    throw new MeridianError(
      'MERIDIAN_REGION_MISCONFIGURED',
      `region ${region}: limits.clientSharePercent is ${clientSharePercent}, more than 100; ` +
        `fix template.limits.clientSharePercent (or regions.${region}.overrides.limits.clientSharePercent) in the world file`,
    );
  }
  return {
    configSnapshot: expected.config.name,
    maxBodyBytes: setting('limits', 'maxBodyBytes', 16_384),
    ...(typeof partnerRps === 'number' && partnerRps > 0 ? { partnerRps } : {}),
    clientSharePercent,
    configPollMs: setting('knobs', 'configPollMs', 1_000),
    outboxFlushMs: setting('knobs', 'outboxFlushMs', 200),
    outboxLingerMs: setting('knobs', 'outboxLingerMs', 50, true),
    configOlderAlertPolls: setting('knobs', 'configOlderAlertPolls', 5),
    configOlderUnhealthyMs: setting('knobs', 'configOlderUnhealthyMs', 300_000, true),
    configLastGoodMaxAgeMs: setting('knobs', 'configLastGoodMaxAgeMs', 86_400_000, true),
  };
}
