// A synthetic region-down drill report (seeded, no processes): for report tests and for
// previewing the HTML page.
import { seededRandom } from '../../core/index.js';
import { buildDrillReport, type DrillReport, type DrillReportInput } from '../drill-report.js';
import type { DrillLogEntry } from '../drill-scheduler.js';
import type { RequestRecord } from '../request-record.js';
import { StatsAggregator } from '../stats-aggregator.js';

/** Wall time of second 0 of the synthetic drill. */
export const SYNTHETIC_ORIGIN_MS = Date.UTC(2026, 10, 28, 16, 0, 0);
const ORIGIN = SYNTHETIC_ORIGIN_MS;

/** A synthetic region-down drill: london is served by eu-west-2 until it dies at 20 s. */
export function syntheticDrill(): DrillReport {
  return syntheticWindow(0, 60_000);
}

/** The same run, reported over a window given as offsets from its start. */
export function syntheticWindow(
  fromOffsetMs: number,
  toOffsetMs: number,
  optimum?: DrillReportInput['optimum'],
): DrillReport {
  const from = SYNTHETIC_ORIGIN_MS + fromOffsetMs;
  const to = SYNTHETIC_ORIGIN_MS + toOffsetMs;
  const rnd = seededRandom(1);
  const stats = new StatsAggregator({ originMs: ORIGIN });
  const rec = (location: string, t: number, region: string | null, ms: number, ok = true): RequestRecord => ({
    location,
    step: 'session',
    atMs: ORIGIN + t * 1000,
    dnsMs: 0,
    connectMs: 0,
    responseMs: ms,
    totalMs: ms,
    region,
    attempts: 1,
    ok,
  });
  for (let t = 0; t < 60; t += 0.1) {
    const down = t >= 20 && t < 40;
    const failing = t >= 20 && t < 23;
    stats.record(
      failing && rnd.next() < 0.5
        ? rec('london', t, null, 0, false)
        : rec('london', t, down ? 'us-east-1' : 'eu-west-2', (down ? 80 : 5) * (1 + rnd.next())),
    );
    stats.record(rec('cape-town', t, 'af-south-1', 4 + 10 * rnd.next() ** 4));
    stats.record(rec('new-york', t, 'us-east-1', 3 + 5 * rnd.next() ** 3));
  }
  const log: DrillLogEntry[] = [
    { atMs: ORIGIN + 20_000, event: { kind: 'region-down', region: 'eu-west-2' }, ok: true },
    { atMs: ORIGIN + 40_000, event: { kind: 'region-up', region: 'eu-west-2' }, ok: true },
  ];
  return buildDrillReport({
    title: 'region-down eu-west-2 --for 20s',
    zone: 'example.test',
    worldHash: 'abcdef0123456789',
    regions: ['us-west-2', 'us-east-1', 'eu-west-2', 'af-south-1'],
    stats,
    log,
    endedAtMs: to,
    fromMs: from,
    ...(optimum ? { optimum } : {}),
  });
}
