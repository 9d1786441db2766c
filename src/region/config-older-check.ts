// The region's `config-not-older` health check: red once a run of older config offers has lasted too long.
import type { OlderStreak } from '../config/index.js';

export interface OlderCheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Green while no source offers an older snapshot than the one held (`streak` undefined), and
 * during such a run until it has alerted and lasted `unhealthyMs` (0: never red).
 */
export function configOlderCheck(
  streak: OlderStreak | undefined,
  heldVersion: number,
  unhealthyMs: number,
  nowMs: number,
): OlderCheckResult {
  if (!streak) return { ok: true, detail: 'no older snapshot offered' };
  const forMs = nowMs - streak.sinceMs;
  const red = streak.alerting && unhealthyMs > 0 && forMs >= unhealthyMs;
  const limit =
    unhealthyMs > 0 ? `red after ${unhealthyMs / 1000} s` : 'never red (configOlderUnhealthyMs 0)';
  return {
    ok: !red,
    detail: `${streak.source} offers v${streak.offeredVersion}, older than the v${heldVersion} held, ${streak.polls} polls in a row for ${Math.round(forMs / 1000)} s (${limit})`,
  };
}
