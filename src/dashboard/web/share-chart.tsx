// Traffic share per region over time (uPlot), on the one time axis of the page: every marker
// (drills, drains, rollout steps, config versions, reloads, health changes) is a vertical line.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Marker, SharePoint } from '../dashboard-types.js';

export const MARKER_COLOURS: Record<Marker['kind'], string> = {
  drill: '#c2410c',
  drain: '#b7791f',
  undrain: '#4c7d3a',
  rollout: '#6b46c1',
  config: '#2b6cb0',
  reload: '#319795',
  health: '#d64545',
};

const PALETTE = ['#2b6cb0', '#2f9e5b', '#c05621', '#6b46c1', '#b83280', '#319795', '#975a16', '#4a5568'];

export function regionPalette(regions: readonly string[]): Map<string, string> {
  return new Map(regions.map((r, i) => [r, PALETTE[i % PALETTE.length]!]));
}

function dataOf(regions: readonly string[], share: readonly SharePoint[]): uPlot.AlignedData {
  const xs = share.map((p) => p.atMs / 1000);
  // a second with nothing served is a gap, not a zero share
  const ys = regions.map((r) =>
    share.map((p) => (Object.keys(p.shares).length === 0 ? null : (p.shares[r] ?? 0) * 100)),
  );
  return [xs, ...ys];
}

export function ShareChart(props: {
  regions: readonly string[];
  share: readonly SharePoint[];
  markers: readonly Marker[];
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markers = useRef(props.markers);
  markers.current = props.markers;
  const key = props.regions.join(',');

  useEffect(() => {
    if (!host.current) return;
    const colours = regionPalette(props.regions);
    const width = Math.max(320, host.current.clientWidth);
    const u = new uPlot(
      {
        width,
        height: 220,
        scales: { x: { time: true }, y: { range: [0, 100] } },
        axes: [{}, { label: 'share %', size: 50 }],
        legend: { live: false },
        series: [
          {},
          ...props.regions.map((r) => ({
            label: r,
            stroke: colours.get(r),
            width: 2,
            points: { show: false },
          })),
        ],
        hooks: {
          draw: [
            (u: uPlot) => {
              const ctx = u.ctx;
              ctx.save();
              for (const m of markers.current) {
                const x = u.valToPos(m.atMs / 1000, 'x', true);
                if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
                ctx.strokeStyle = MARKER_COLOURS[m.kind];
                ctx.lineWidth = 2 * devicePixelRatio;
                ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
                ctx.beginPath();
                ctx.moveTo(x, u.bbox.top);
                ctx.lineTo(x, u.bbox.top + u.bbox.height);
                ctx.stroke();
              }
              ctx.restore();
            },
          ],
        },
      },
      dataOf(props.regions, props.share),
      host.current,
    );
    plot.current = u;
    const onResize = () =>
      u.setSize({ width: Math.max(320, host.current?.clientWidth ?? width), height: 220 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      u.destroy();
      plot.current = null;
    };
    // the chart is rebuilt only when the set of regions (`key`) changes
  }, [key]);

  useEffect(() => {
    plot.current?.setData(dataOf(props.regions, props.share));
  }, [props.share, props.markers, key]);

  const last = props.share[props.share.length - 1];
  return (
    <div
      ref={host}
      class="share-chart"
      data-testid="share-chart"
      data-points={props.share.length}
      data-last={last ? JSON.stringify(last.shares) : ''}
    />
  );
}
