// Hysteresis for the order of regions: a region moves ahead of another only when its figure is
// better by the tolerance (NS1 steers with a tolerance of 50 ms or 30 %; Meridian's default is
// max(10 %, 5 ms)), so small wobbles in measurements never flip where users are sent.

export interface OrderTolerance {
  /** Fraction of the incumbent's figure a challenger must beat it by. Default 0.1. */
  readonly ratio: number;
  /** At least this many ms better. Default 5. */
  readonly floorMs: number;
}

export const DEFAULT_ORDER_TOLERANCE: OrderTolerance = Object.freeze({ ratio: 0.1, floorMs: 5 });

/** True when `challengerMs` beats `incumbentMs` by more than the tolerance. */
export function clearlyBetter(
  challengerMs: number,
  incumbentMs: number,
  tolerance: OrderTolerance = DEFAULT_ORDER_TOLERANCE,
): boolean {
  return challengerMs < incumbentMs - Math.max(tolerance.ratio * incumbentMs, tolerance.floorMs);
}

/**
 * The new order of the regions in `figures` (ms), starting from `previous`: regions keep their
 * previous relative order unless one is clearly better than the one ahead of it; regions new to
 * the order join by figure behind the known ones and move up the same way. With no previous
 * order the result is plain nearest first (ties by name).
 */
export function stableOrder(
  previous: readonly string[],
  figures: ReadonlyMap<string, number>,
  tolerance: OrderTolerance = DEFAULT_ORDER_TOLERANCE,
): string[] {
  const known = previous.filter((r) => figures.has(r));
  const fresh = [...figures.keys()]
    .filter((r) => !known.includes(r))
    .sort((a, b) => figures.get(a)! - figures.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
  const order = known.length === 0 ? fresh : [...known, ...fresh];
  // insertion sort with "clearly better" as the only reason to move: O(n²) for a handful of regions
  for (let i = 1; i < order.length; i++) {
    const r = order[i]!;
    const ms = figures.get(r)!;
    let j = i - 1;
    while (j >= 0 && clearlyBetter(ms, figures.get(order[j]!)!, tolerance)) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = r;
  }
  return order;
}
