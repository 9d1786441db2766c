// Renders a drill report as one self-contained HTML page: inline SVG charts (success rate,
// p50 and p99 per location over time, traffic share per region) with drill events marked.
import type { DrillReport } from './drill-report.js';

const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#7f7f7f',
  '#bcbd22',
];

const W = 860;
const H = 240;
const M = { left: 56, right: 16, top: 28, bottom: 30 };

interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number | null])[];
}

interface Marker {
  readonly x: number;
  readonly label: string;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(
  title: string,
  xMax: number,
  yMax: number,
  yFmt: (v: number) => string,
  markers: readonly Marker[],
): string[] {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const parts: string[] = [];
  parts.push(`<text x="${M.left}" y="16" class="t">${esc(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const y = M.top + ph - (ph * i) / 4;
    parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" class="g"/>`);
    parts.push(`<text x="${M.left - 6}" y="${y + 4}" class="yl">${esc(yFmt(v))}</text>`);
  }
  const xStep = niceMax(xMax / 8);
  for (let x = 0; x <= xMax; x += xStep) {
    const px = M.left + (pw * x) / xMax;
    parts.push(`<text x="${px}" y="${H - 10}" class="xl">${x}s</text>`);
  }
  markers.forEach((m, i) => {
    const px = M.left + (pw * Math.min(m.x, xMax)) / xMax;
    parts.push(`<line x1="${px}" x2="${px}" y1="${M.top}" y2="${M.top + ph}" class="ev"/>`);
    parts.push(`<text x="${px + 3}" y="${M.top + 10 + (i % 3) * 11}" class="evl">${esc(m.label)}</text>`);
  });
  return parts;
}

function lineChart(
  title: string,
  xMax: number,
  yMax: number,
  yFmt: (v: number) => string,
  series: readonly Series[],
  markers: readonly Marker[],
): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const parts = frame(title, xMax, yMax, yFmt, markers);
  for (const s of series) {
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null) {
        pen = false;
        continue;
      }
      const px = (M.left + (pw * x) / xMax).toFixed(1);
      const py = (M.top + ph - (ph * Math.min(y, yMax)) / yMax).toFixed(1);
      d += `${pen ? 'L' : 'M'}${px},${py}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" stroke="${s.color}" class="l"><title>${esc(s.name)}</title></path>`);
  }
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}

function stackedChart(
  title: string,
  xMax: number,
  series: readonly Series[],
  markers: readonly Marker[],
): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const parts = frame(
    title,
    xMax,
    1,
    (v) => `${Math.round(v * 100)}%`,
    markers.map((m) => m),
  );
  const xs = series[0]?.points.map((p) => p[0]) ?? [];
  const base = xs.map(() => 0);
  const layers: string[] = [];
  for (const s of series) {
    const top = s.points.map((p, i) => base[i]! + (p[1] ?? 0));
    const X = (x: number) => (M.left + (pw * x) / xMax).toFixed(1);
    const Y = (y: number) => (M.top + ph - ph * Math.min(1, y)).toFixed(1);
    const up = xs.map((x, i) => `${X(x)},${Y(top[i]!)}`);
    const down = xs.map((x, i) => `${X(x)},${Y(base[i]!)}`).reverse();
    if (xs.length)
      layers.push(
        `<polygon points="${[...up, ...down].join(' ')}" fill="${s.color}" class="a"><title>${esc(s.name)}</title></polygon>`,
      );
    top.forEach((v, i) => {
      base[i] = v;
    });
  }
  // Areas under the grid text and markers, so event labels stay readable.
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${layers.join('')}${parts.join('')}</svg>`;
}

function legend(items: readonly { name: string; color: string }[]): string {
  return `<div class="lg">${items.map((i) => `<span><i style="background:${i.color}"></i>${esc(i.name)}</span>`).join('')}</div>`;
}

const fmtMs = (v: number | null) => (v === null ? '–' : v < 10 ? v.toFixed(1) : String(Math.round(v)));
const fmtPct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(v === 1 ? 0 : 2)}%`);

/** The whole page as a string; it loads nothing from anywhere. */
/** The share of users at their truly best region and their excess RTT, when the report has them. */
function optimumCharts(
  r: DrillReport,
  xMax: number,
  markers: readonly { x: number; label: string }[],
  locColor: ReadonlyMap<string, string>,
): string {
  const withOptimum = r.locations.filter((l) => l.optimum && l.optimum.length > 0);
  if (withOptimum.length === 0) return '';
  const series = (
    pick: (o: NonNullable<DrillReport['locations'][number]['optimum']>[number]) => number | null,
  ) =>
    withOptimum.map((l) => ({
      name: l.name,
      color: locColor.get(l.name)!,
      points: l.optimum!.map((o) => [o.second + 0.5, pick(o)] as const),
    }));
  const excessMax = niceMax(
    Math.max(1, ...withOptimum.flatMap((l) => l.optimum!.map((o) => o.excessMs ?? 0))),
  );
  return `<h2>Users at their best region</h2>
<p class="m">By the lab's true round trips (latency drills included), among regions not down, paused or drained.</p>
${lineChart(
  'Share of requests served by the truly best region',
  xMax,
  1,
  (v) => `${Math.round(v * 100)}%`,
  series((o) => o.atOptimumShare),
  markers,
)}
${lineChart(
  'Excess round trip over the best region (ms)',
  xMax,
  excessMax,
  (v) => String(Math.round(v)),
  series((o) => o.excessMs),
  markers,
)}`;
}

export function renderDrillReportHtml(r: DrillReport): string {
  const xMax = Math.max(1, (r.endedAtMs - r.startedAtMs) / 1000, ...r.regionShare.map((s) => s.second + 1));
  const markers = r.events.map((e) => ({ x: e.second, label: e.label }));
  const locColor = new Map(r.locations.map((l, i) => [l.name, PALETTE[i % PALETTE.length]!]));
  const regColor = new Map(r.regions.map((n, i) => [n, PALETTE[i % PALETTE.length]!]));
  const locSeries = (
    pick: (s: DrillReport['locations'][number]['series'][number]) => number | null,
  ): Series[] =>
    r.locations.map((l) => ({
      name: l.name,
      color: locColor.get(l.name)!,
      points: l.series.map((s) => [s.second + 0.5, pick(s)] as const),
    }));
  const p99Max = niceMax(Math.max(1, ...r.locations.flatMap((l) => l.series.map((s) => s.p99Ms ?? 0))));
  const p50Max = niceMax(Math.max(1, ...r.locations.flatMap((l) => l.series.map((s) => s.p50Ms ?? 0))));
  const shareSeries: Series[] = r.regions.map((name) => ({
    name,
    color: regColor.get(name)!,
    points: r.regionShare.map((s) => [s.second + 0.5, s.shares[name] ?? 0] as const),
  }));
  const rows = r.locations
    .map(
      (l) =>
        `<tr><td><i style="background:${locColor.get(l.name)}"></i>${esc(l.name)}</td><td>${l.total.requests}</td><td>${l.total.errors}</td><td>${fmtPct(l.total.successRate)}</td><td>${fmtMs(l.total.p50Ms)}</td><td>${fmtMs(l.total.p99Ms)}</td><td>${esc(
          Object.entries(l.total.regions)
            .sort((a, b) => b[1] - a[1])
            .map(([n, c]) => `${n} ${Math.round((100 * c) / Math.max(1, l.total.requests))}%`)
            .join(', '),
        )}</td></tr>`,
    )
    .join('');
  const events = r.events
    .map(
      (e) =>
        `<li><b>${e.second.toFixed(1)} s</b> ${esc(e.label)}${e.ok ? '' : ` <span class="bad">failed: ${esc(e.error ?? '')}</span>`}</li>`,
    )
    .join('');
  const started = new Date(r.startedAtMs).toISOString();
  const locLegend = legend(r.locations.map((l) => ({ name: l.name, color: locColor.get(l.name)! })));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:900px;color:#222;padding:0 12px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 6px}.m{color:#666;margin:0 0 12px}
svg{width:100%;height:auto;display:block;background:#fff;border:1px solid #e4e4e4;border-radius:4px;margin:6px 0}
.t{font-size:13px;font-weight:600;fill:#222}.g{stroke:#eee}.yl{font-size:10px;fill:#777;text-anchor:end}.xl{font-size:10px;fill:#777;text-anchor:middle}
.l{fill:none;stroke-width:1.6}.a{stroke:none;opacity:.85}.ev{stroke:#444;stroke-dasharray:4 3}.evl{font-size:10px;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px}
table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child,td:last-child,th:last-child{text-align:left}
i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}.lg span{margin-right:14px;white-space:nowrap}.bad{color:#c00}
</style></head><body>
<h1>${esc(r.title)}</h1>
<p class="m">zone ${esc(r.zone)} · started ${esc(started)} · ${Math.round(xMax)} s · world ${esc(r.worldHash.slice(0, 12))}</p>
<h2>Per location</h2>
<table><thead><tr><th>location</th><th>requests</th><th>errors</th><th>success</th><th>p50 ms</th><th>p99 ms</th><th>served by</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Drill events</h2><ol>${events || '<li>none</li>'}</ol>
<h2>What users saw</h2>${locLegend}
${lineChart(
  'Success rate per location',
  xMax,
  1,
  (v) => `${Math.round(v * 100)}%`,
  locSeries((s) => s.successRate),
  markers,
)}
${lineChart(
  'p50 latency per location (ms)',
  xMax,
  p50Max,
  (v) => String(Math.round(v)),
  locSeries((s) => s.p50Ms),
  markers,
)}
${lineChart(
  'p99 latency per location (ms)',
  xMax,
  p99Max,
  (v) => String(Math.round(v)),
  locSeries((s) => s.p99Ms),
  markers,
)}
${optimumCharts(r, xMax, markers, locColor)}
<h2>Traffic share per region</h2>${legend(r.regions.map((n) => ({ name: n, color: regColor.get(n)! })))}
${stackedChart('Share of served requests per region', xMax, shareSeries, markers)}
<script type="application/json" id="report">${JSON.stringify(r).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}
