// Rules `health-status-range`, `health-body`, `health-option-unused`, `health-stale-bound` and
// `health-quorum`: every region's check can be run as written, and the fleet can reach a verdict.
import type { Finding } from '../diagnostic.js';
import { defaultStaleAfterMs, minimumStaleAfterMs, parseStatusRange } from '../health-check.js';
import type { HealthInput, WorldInput } from '../world-schema.js';

type HealthBlock = Partial<HealthInput>;

const TLS_OPTIONS = ['sni', 'caFile', 'pinSha256'] as const;
const HTTP_OPTIONS = ['host', 'expectStatus', 'body'] as const;

/** Checks the world `health` block and every region's overrides. */
export function checkHealth(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const blocks: Array<{ path: PropertyKey[]; block: HealthBlock }> = [
    { path: ['health'], block: w.health },
    ...Object.entries(w.regions)
      .filter(([, r]) => r.health)
      .map(([name, r]) => ({ path: ['regions', name, 'health'], block: r.health as HealthBlock })),
  ];
  for (const { path, block } of blocks) out.push(...checkValues(path, block));
  out.push(...checkUnusedOptions(w), ...checkStaleBounds(w), ...checkQuorum(w));
  return out;
}

function checkValues(path: PropertyKey[], h: HealthBlock): Finding[] {
  const out: Finding[] = [];
  h.expectStatus?.forEach((s, i) => {
    const [lo, hi] = parseStatusRange(s);
    if (lo > hi) {
      out.push({
        code: 'health-status-range',
        severity: 'error',
        path: [...path, 'expectStatus', i],
        message: `status range "${s}" is reversed; write the low end first ("${hi}-${lo}")`,
      });
    }
  });
  if (h.body) {
    const both = h.body.contains !== undefined && h.body.regex !== undefined;
    const neither = h.body.contains === undefined && h.body.regex === undefined;
    if (both || neither) {
      out.push({
        code: 'health-body',
        severity: 'error',
        path: [...path, 'body'],
        message: `body takes exactly one of contains or regex (${both ? 'both are set' : 'neither is set'}); e.g. body: { contains: "ok" }`,
      });
    } else if (h.body.regex !== undefined) {
      try {
        new RegExp(h.body.regex);
      } catch (err) {
        out.push({
          code: 'health-body',
          severity: 'error',
          path: [...path, 'body', 'regex'],
          message: `body.regex is not a valid regular expression (${(err as Error).message}); fix it or use contains for a plain substring`,
        });
      }
    }
  }
  return out;
}

/** Options the effective check type ignores: TLS options off https, HTTP options on tcp. */
function checkUnusedOptions(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const regionTypes = Object.entries(w.regions).map(([name, r]) => ({
    name,
    override: (r.health ?? {}) as HealthBlock,
    type: r.health?.type ?? w.health.type ?? 'http',
  }));
  const unusedBy = (option: string, type: string): boolean =>
    TLS_OPTIONS.includes(option as (typeof TLS_OPTIONS)[number])
      ? type !== 'https'
      : HTTP_OPTIONS.includes(option as (typeof HTTP_OPTIONS)[number]) && type === 'tcp';
  const why = (option: string, type: string) =>
    TLS_OPTIONS.includes(option as (typeof TLS_OPTIONS)[number])
      ? `${option} only applies to type: https, and this check is ${type}; set type: https or remove ${option}`
      : `${option} only applies to http and https checks, and this check is tcp (a connect only); remove ${option} or set type: http`;
  for (const option of [...TLS_OPTIONS, ...HTTP_OPTIONS]) {
    for (const r of regionTypes) {
      if (r.override[option] !== undefined && unusedBy(option, r.type)) {
        out.push({
          code: 'health-option-unused',
          severity: 'warning',
          path: ['regions', r.name, 'health', option],
          at: 'key',
          message: `regions.${r.name}.health.${option} is ignored: ${why(option, r.type)}`,
        });
      }
    }
    const worldHas = (w.health as HealthBlock)[option] !== undefined;
    const users = regionTypes.filter((r) => r.override[option] === undefined);
    if (worldHas && users.length > 0 && users.every((r) => unusedBy(option, r.type))) {
      const type = users[0]!.type;
      out.push({
        code: 'health-option-unused',
        severity: 'warning',
        path: ['health', option],
        at: 'key',
        message: `health.${option} is ignored by every region: ${why(option, type)}`,
      });
    }
  }
  return out;
}

/** A staleness bound shorter than the gap between two on-time observations excludes good vantages. */
function checkStaleBounds(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const [name, r] of Object.entries(w.regions)) {
    const h = { ...w.health, ...r.health };
    if (h.staleAfterMs === undefined) continue;
    const min = minimumStaleAfterMs(h);
    if (h.staleAfterMs >= min) continue;
    const declaredHere = r.health?.staleAfterMs !== undefined;
    const path = declaredHere ? ['regions', name, 'health', 'staleAfterMs'] : ['health', 'staleAfterMs'];
    const key = path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      code: 'health-stale-bound',
      severity: 'error',
      path,
      message: `staleAfterMs ${h.staleAfterMs} is shorter than one probe round plus a timeout (${min} ms${declaredHere ? '' : ` for region ${name}`}), so a vantage probing on time would count as stale; use at least ${min}, or remove it for the default ${defaultStaleAfterMs(h)}`,
    });
  }
  return out;
}

/** A numeric quorum needs that many vantages. */
function checkQuorum(w: WorldInput): Finding[] {
  const q = w.health.quorum;
  const declared = Object.keys(w.vantages).length;
  if (typeof q !== 'number' || q <= declared) return [];
  return [
    {
      code: 'health-quorum',
      severity: 'error',
      path: ['health', 'quorum'],
      message: `quorum ${q} needs at least ${q} vantages and ${declared === 0 ? 'none is' : `only ${declared} ${declared === 1 ? 'is' : 'are'}`} declared; declare more under vantages, lower it, or use majority`,
    },
  ];
}
