// Reads what the dashboard needs from the GSLB's `GET /v1/state` body (in-process or fetched),
// tolerating fields that are absent (older or newer servers): the health table, rollouts,
// reloads, answer counters, the operator's records and, once the fleet feeds it, the matrix.
import type { FeedSample, MatrixSample, OperatorRecordSample, RegionHealthSample } from './dashboard-feed.js';
import type { HealthLabel } from './dashboard-types.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const label = (v: unknown): HealthLabel => (v === 'up' || v === 'down' ? v : 'unknown');

/** The parts of a sample that come from `/v1/state`. */
export type GslbStatePart = Pick<
  FeedSample,
  'zone' | 'worldHash' | 'health' | 'matrix' | 'answers' | 'rollouts' | 'reloads' | 'operatorRecords'
>;

/** Whether the server answers `?preview=1` on drain without draining (it has a drain floor). */
export function offersDrainPreview(state: unknown): boolean {
  return 'drainFloor' in obj(state);
}

/** Extracts the sample's GSLB part from a `/v1/state` body. */
export function gslbStatePart(state: unknown): GslbStatePart {
  const s = obj(state);
  const health: RegionHealthSample[] = arr(s.regions).map((x) => {
    const r = obj(x);
    return {
      name: str(r.name) ?? '?',
      state: label(r.state),
      drained: r.drained === true,
      serving: r.serving === true,
      lastChangeAtMs: num(r.lastChangeAtMs),
      lastError: str(r.lastError),
    };
  });
  const answers: Record<string, number> = {};
  for (const perRegion of Object.values(obj(obj(s.counters).chosen))) {
    for (const [region, n] of Object.entries(obj(perRegion))) {
      if (typeof n === 'number') answers[region] = (answers[region] ?? 0) + n;
    }
  }
  const rollouts = arr(s.hostnames).map((x) => {
    const h = obj(x);
    const r = obj(h.rollout);
    const region = str(r.region);
    return {
      hostname: str(h.name) ?? '?',
      text: region ? `${region} ${num(r.percent) ?? 0}%${r.overridden === true ? ' (override)' : ''}` : null,
    };
  });
  const reloads = obj(s.reloads);
  const operatorRecords: OperatorRecordSample[] = arr(s.operatorRecords).flatMap((x) => {
    const r = obj(x);
    const action = str(r.action);
    const target = str(r.target);
    const atMs = num(r.atMs);
    return action && target && atMs !== null
      ? [{ action, target, atMs, who: str(r.who), reason: str(r.reason) }]
      : [];
  });
  return {
    zone: str(s.zone) ?? '',
    worldHash: str(s.worldHash) ?? '',
    health,
    matrix: matrixOf(s.fleet ?? s.matrix),
    answers,
    rollouts,
    reloads: {
      ok: num(reloads.ok) ?? 0,
      failed: num(reloads.failed) ?? 0,
      lastError: str(reloads.lastError),
    },
    operatorRecords,
  };
}

/** A fleet matrix (`FleetMatrix` of src/fleet) if the state carries one. */
function matrixOf(v: unknown): MatrixSample | null {
  const m = obj(v);
  const vantages = arr(m.vantages).filter((x): x is string => typeof x === 'string');
  if (vantages.length === 0) return null;
  return {
    vantages,
    regions: arr(m.regions).map((x) => {
      const r = obj(x);
      return {
        region: str(r.region) ?? str(r.name) ?? '?',
        views: arr(r.views).map((y) => {
          const w = obj(y);
          return {
            vantage: str(w.vantage) ?? '?',
            ok: typeof w.ok === 'boolean' ? w.ok : null,
            reason: str(w.reason),
            observedAtMs: num(w.observedAtMs),
            fresh: w.fresh === true,
          };
        }),
      };
    }),
  };
}
