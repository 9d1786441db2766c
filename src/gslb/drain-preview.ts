// What a drain would do, computed and not applied: per network and hostname, the answer before
// and after, the extra latency, and when the last cached old answer is gone.
import { estimateRttMs } from '../geo/index.js';
import { detectionWindowMs, type HealthTable } from '../health-table/index.js';
import { checkDrainFloor, type DrainFloorVerdict, type DrainRequest } from '../operator-state/index.js';
import { compileSteering, explainQuery, parseClientSpec, type SteeringSnapshot } from '../policy/index.js';

export interface PreviewAnswer {
  readonly regions: readonly string[];
  readonly addresses: readonly string[];
  readonly ttlSeconds: number;
  /** Round trip (ms) from the network to the first region, or null without an answer. */
  readonly rttMs: number | null;
}

export interface DrainPreviewRow {
  readonly network: string;
  readonly hostname: string;
  readonly before: PreviewAnswer;
  readonly after: PreviewAnswer;
  /** `after.rttMs - before.rttMs`; null when either side has no region. */
  readonly extraLatencyMs: number | null;
  /** Seconds after the drain until no resolver can still hold the old answer: TTL + detection. */
  readonly oldAnswerExpiresInSeconds: number;
}

export interface DrainPreview {
  readonly preview: true;
  readonly region: string;
  /** Whether the drain would pass the floor (drain.minServing), and why. */
  readonly floor: DrainFloorVerdict;
  /** Network × hostname pairs whose answer changes; unchanged ones are only counted. */
  readonly changes: readonly DrainPreviewRow[];
  readonly unchanged: number;
  /** The countdown: seconds from the drain until the last cached old answer expires (max over changes). */
  readonly lastOldAnswerExpiresInSeconds: number;
  /** `nowMs` + that countdown: when it would be over if the drain were made now. */
  readonly lastOldAnswerExpiresAtMs: number;
}

/** The table with `region` drained (not serving), the rest as is. */
export function drainedTable(table: HealthTable, region: string): HealthTable {
  return {
    ...table,
    regions: table.regions.map((r) => (r.name === region ? { ...r, drained: true, serving: false } : r)),
  };
}

/**
 * Previews draining `req.region` under `policy` (the answering snapshot's): every world network
 * against every hostname, before and after. The countdown per changed answer is its TTL plus the
 * drained region's detection window (health-table `detectionWindowMs`), the window in which an instance
 * may still hand out the old answer. Pure: nothing is drained.
 */
export function previewDrain(
  policy: SteeringSnapshot,
  req: DrainRequest,
  minServing: number,
  nowMs: number,
): DrainPreview {
  const world = policy.world;
  const floor = checkDrainFloor(policy.health.regions, req, minServing);
  const region = world.regions.find((r) => r.name === req.region);
  const after = region
    ? compileSteering(policy.baseWorld, drainedTable(policy.health, req.region), policy.overrides, {
        locator: policy.locator,
        random: policy.random,
      })
    : policy;
  const windowSeconds = region ? Math.ceil(detectionWindowMs(region.health) / 1000) : 0;
  const changes: DrainPreviewRow[] = [];
  let unchanged = 0;
  for (const network of world.networks) {
    const spec = parseClientSpec(policy, network.name);
    if (!spec.ok) continue;
    for (const h of world.hostnames) {
      const b = explainQuery(policy, h.fqdn, spec.value);
      const a = explainQuery(after, h.fqdn, spec.value);
      if (!b || !a) continue;
      if (b.regions.join() === a.regions.join()) {
        unchanged += 1;
        continue;
      }
      const rtt = (regions: readonly string[]): number | null => {
        const r = world.regions.find((x) => x.name === regions[0]);
        if (!r) return null;
        const ms = world.latency[network.name]?.[r.name] ?? estimateRttMs(b.location, r.location);
        return Math.round(ms * 10) / 10;
      };
      const before = {
        regions: b.regions,
        addresses: b.addresses,
        ttlSeconds: b.ttlSeconds,
        rttMs: rtt(b.regions),
      };
      const afterAnswer = {
        regions: a.regions,
        addresses: a.addresses,
        ttlSeconds: a.ttlSeconds,
        rttMs: rtt(a.regions),
      };
      changes.push({
        network: network.name,
        hostname: h.fqdn,
        before,
        after: afterAnswer,
        extraLatencyMs:
          before.rttMs === null || afterAnswer.rttMs === null
            ? null
            : Math.round((afterAnswer.rttMs - before.rttMs) * 10) / 10,
        oldAnswerExpiresInSeconds: b.ttlSeconds + windowSeconds,
      });
    }
  }
  const last = changes.reduce((m, c) => Math.max(m, c.oldAnswerExpiresInSeconds), 0);
  return {
    preview: true,
    region: req.region,
    floor,
    changes,
    unchanged,
    lastOldAnswerExpiresInSeconds: last,
    lastOldAnswerExpiresAtMs: nowMs + last * 1000,
  };
}
