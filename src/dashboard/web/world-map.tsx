// The world map: land from world-atlas (bundled), regions coloured by health, user populations,
// and a line from each population to each region serving it, as wide as its traffic.
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land110 from 'world-atlas/land-110m.json';
import type { LocationView, RegionView } from '../dashboard-types.js';

const WIDTH = 960;
const HEIGHT = 470;
const topology = land110 as unknown as Topology<{ land: GeometryCollection }>;
const land = feature(topology, topology.objects.land) as unknown as FeatureCollection<Polygon | MultiPolygon>;
const projection = geoNaturalEarth1().fitExtent(
  [
    [4, 4],
    [WIDTH - 4, HEIGHT - 4],
  ],
  { type: 'Sphere' },
);
const path = geoPath(projection);
const landPath = path(land) ?? '';
const spherePath = path({ type: 'Sphere' }) ?? '';

export function regionColour(r: Pick<RegionView, 'state' | 'drained'>): string {
  if (r.state === 'down') return '#d64545';
  if (r.drained) return '#e0a526';
  if (r.state === 'up') return '#2f9e5b';
  return '#8a94a3';
}

export function WorldMap(props: { regions: readonly RegionView[]; locations: readonly LocationView[] }) {
  const at = (lon: number, lat: number): [number, number] => projection([lon, lat]) ?? [0, 0];
  const regionAt = new Map(props.regions.map((r) => [r.name, at(r.lon, r.lat)]));
  const maxRps = Math.max(1, ...props.locations.map((l) => l.rps ?? 0));
  const lines = props.locations.flatMap((l) => {
    const from = at(l.lon, l.lat);
    return Object.entries(l.servedBy).flatMap(([region, share]) => {
      const to = regionAt.get(region);
      if (!to || share <= 0) return [];
      const width = l.rps === null ? 1.5 : 1 + (7 * (l.rps * share)) / maxRps;
      return [{ key: `${l.name}-${region}`, from, to, width, measured: l.measured, region }];
    });
  });
  return (
    <svg
      class="map"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label="world map of regions and user populations"
      data-testid="world-map"
    >
      <path d={spherePath} class="sphere" />
      <path d={landPath} class="land" />
      {lines.map((x) => (
        <line
          key={x.key}
          x1={x.from[0]}
          y1={x.from[1]}
          x2={x.to[0]}
          y2={x.to[1]}
          class={x.measured ? 'flow' : 'flow what-if'}
          stroke-width={x.width}
          data-testid={`map-flow-${x.key}`}
        />
      ))}
      {props.locations.map((l) => {
        const [x, y] = at(l.lon, l.lat);
        return (
          <g key={l.name} data-testid={`map-location-${l.name}`}>
            {l.rps !== null ? (
              <circle cx={x} cy={y} r={4 + (10 * l.rps) / maxRps} class="population-traffic" />
            ) : null}
            <rect x={x - 3.5} y={y - 3.5} width={7} height={7} class="population" />
            <text x={x + 6} y={y + 11} class="label small">
              {l.name}
            </text>
            <title>
              {`${l.name}: ${l.rps === null ? 'steered to' : `${l.rps.toFixed(1)} req/s, served by`} ${Object.keys(l.servedBy).join(', ') || 'nobody'}`}
            </title>
          </g>
        );
      })}
      {props.regions.map((r) => {
        const [x, y] = regionAt.get(r.name) ?? [0, 0];
        return (
          <g key={r.name} data-testid={`map-region-${r.name}`} data-state={r.drained ? 'drained' : r.state}>
            <circle cx={x} cy={y} r={r.isHome ? 9 : 7.5} fill={regionColour(r)} class="region" />
            <text x={x + 10} y={y - 6} class="label">
              {r.name}
              {r.isHome ? ' (home)' : ''}
            </text>
            <title>{`${r.name}: ${r.state}${r.drained ? ', drained' : ''}`}</title>
          </g>
        );
      })}
    </svg>
  );
}
