// Rise/fall hysteresis: turns a stream of raw probe results into a region state. Pure.
import type { RegionState } from '../health-table/index.js';

/** The thresholds: consecutive successes to go down → up, consecutive failures to go up → down. */
export interface FlapThresholds {
  readonly rise: number;
  readonly fall: number;
}

/** A region's guard state: its state and the current run of equal results (capped at max(rise, fall)). */
export interface FlapGuard {
  readonly state: RegionState;
  /** Consecutive successes (0 after a failure). */
  readonly successes: number;
  /** Consecutive failures (0 after a success). */
  readonly failures: number;
}

/** Every region starts here: unknown, treated as not serving. */
export const INITIAL_FLAP_GUARD: FlapGuard = Object.freeze({ state: 'unknown', successes: 0, failures: 0 });

/**
 * Applies one probe result. From `unknown`, the first result decides at once (a success → up,
 * a failure → down): a cold region serves after its first successful probe, as the issue asks,
 * and a dead one is reported down without waiting (it was not serving anyway). From `up`,
 * `fall` failures in a row → down; from `down`, `rise` successes in a row → up.
 * Returns the same object when nothing changed (the steady state allocates nothing).
 */
export function applyProbe(guard: FlapGuard, ok: boolean, t: FlapThresholds): FlapGuard {
  const cap = Math.max(1, t.rise, t.fall);
  const successes = ok ? Math.min(cap, guard.successes + 1) : 0;
  const failures = ok ? 0 : Math.min(cap, guard.failures + 1);
  let state = guard.state;
  if (state === 'unknown') state = ok ? 'up' : 'down';
  else if (state === 'up' && failures >= Math.max(1, t.fall)) state = 'down';
  else if (state === 'down' && successes >= Math.max(1, t.rise)) state = 'up';
  if (state === guard.state && successes === guard.successes && failures === guard.failures) return guard;
  return Object.freeze({ state, successes, failures });
}
