// The great-circle latency model: light in fibre (~2/3 c) over an inflated path, both ways.
import { type Coordinates, greatCircleKm } from './coordinates.js';

/** Kilometres light travels in fibre per millisecond (about 2/3 of c). */
export const FIBRE_KM_PER_MS = 199.86;

/**
 * How much longer real routes are than the great circle. Measured inter-region RTTs are
 * typically 1.4x–2x the fibre bound (cables follow coasts and hubs); 1.6 fits the shipped
 * AWS table with a median error near 15 % (see geo/README.md).
 */
export const DEFAULT_ROUTE_INFLATION = 1.6;

/** Fixed cost of any round trip (switching, last mile), in milliseconds. */
export const DEFAULT_BASE_RTT_MS = 2;

/** Estimated round-trip time in ms between two points. */
export function estimateRttMs(
  a: Coordinates,
  b: Coordinates,
  options: { routeInflation?: number; baseMs?: number } = {},
): number {
  const inflation = options.routeInflation ?? DEFAULT_ROUTE_INFLATION;
  const base = options.baseMs ?? DEFAULT_BASE_RTT_MS;
  return base + (2 * greatCircleKm(a, b) * inflation) / FIBRE_KM_PER_MS;
}
