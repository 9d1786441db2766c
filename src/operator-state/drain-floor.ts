// The safe-drain rule (an AWS ARC assertion rule, "at least N on"): a drain may not leave fewer
// than `minServing` regions serving, nor fewer than `minServing` undrained, unless forced.

/** What the rule reads of each region: the health table's row, or anything shaped like it. */
export interface DrainFloorRegion {
  readonly name: string;
  readonly drained: boolean;
  /** Up and not drained. */
  readonly serving: boolean;
}

export interface DrainRequest {
  readonly region: string;
  /** Drain even below the floor; needs a reason. */
  readonly force?: boolean;
  readonly reason?: string;
}

/** Which part of the rule decided. */
export type DrainFloorRule =
  | 'unknown-region'
  | 'already-drained'
  | 'above-floor'
  | 'serving-floor'
  | 'undrained-floor'
  | 'forced'
  | 'force-without-reason';

export interface DrainFloorVerdict {
  readonly ok: boolean;
  readonly rule: DrainFloorRule;
  /** One sentence for the operator: what was decided and, when refused, how to proceed. */
  readonly reason: string;
  readonly minServing: number;
  readonly servingBefore: readonly string[];
  readonly servingAfter: readonly string[];
  readonly undrainedAfter: readonly string[];
  /** True when the drain passed only because it was forced (record who, when and why). */
  readonly forced: boolean;
}

/**
 * Decides a drain of `req.region` over `regions` (world order). Serving-floor: when the region
 * serves now, the regions still serving after must be at least `minServing`. Undrained-floor:
 * the regions not drained after must be at least `minServing`, so a floor met only by regions that
 * are down today still holds when they come back. Draining a drained region is a no-op and
 * always passes; undrains are never refused (they have no rule here).
 */
export function checkDrainFloor(
  regions: readonly DrainFloorRegion[],
  req: DrainRequest,
  minServing: number,
): DrainFloorVerdict {
  const target = regions.find((r) => r.name === req.region);
  const servingBefore = regions.filter((r) => r.serving).map((r) => r.name);
  const servingAfter = servingBefore.filter((n) => n !== req.region);
  const undrainedAfter = regions.filter((r) => !r.drained && r.name !== req.region).map((r) => r.name);
  const base = { minServing, servingBefore, servingAfter, undrainedAfter, forced: false };
  if (!target)
    return {
      ...base,
      ok: false,
      rule: 'unknown-region',
      reason: `"${req.region}" is not a region of the world`,
    };
  if (target.drained)
    return {
      ...base,
      servingAfter: servingBefore,
      ok: true,
      rule: 'already-drained',
      reason: `${req.region} is already drained`,
    };
  let refusal: { rule: DrainFloorRule; reason: string } | null = null;
  if (target.serving && servingAfter.length < minServing) {
    refusal = {
      rule: 'serving-floor',
      reason: `draining ${req.region} would leave ${servingAfter.length} region${servingAfter.length === 1 ? '' : 's'} serving (${servingAfter.join(', ') || 'none'}); drain.minServing is ${minServing}`,
    };
  } else if (undrainedAfter.length < minServing) {
    refusal = {
      rule: 'undrained-floor',
      reason: `draining ${req.region} would leave ${undrainedAfter.length} region${undrainedAfter.length === 1 ? '' : 's'} undrained (${undrainedAfter.join(', ') || 'none'}); drain.minServing is ${minServing}`,
    };
  }
  if (!refusal)
    return {
      ...base,
      ok: true,
      rule: 'above-floor',
      reason: `${servingAfter.length} region${servingAfter.length === 1 ? '' : 's'} left serving, floor ${minServing}`,
    };
  if (!req.force)
    return {
      ...base,
      ok: false,
      ...refusal,
      reason: `${refusal.reason}: undrain or restore a region first, or force with a reason`,
    };
  const why = req.reason?.trim() ?? '';
  if (why === '')
    return {
      ...base,
      ok: false,
      rule: 'force-without-reason',
      reason: `${refusal.reason}: a forced drain needs a reason, which is recorded`,
    };
  return {
    ...base,
    ok: true,
    forced: true,
    rule: 'forced',
    reason: `forced below the floor: ${refusal.reason}`,
  };
}
