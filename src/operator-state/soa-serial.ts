// The SOA serial: identical on every instance that shares the same inputs, and never smaller in
// RFC 1982 serial arithmetic after a later change (secondaries refuse a serial that goes back).

const MOD = 2 ** 32;
const HALF = 2 ** 31;

/** RFC 1982 §3.2: `a` is greater than `b` (undefined when they are exactly 2^31 apart: false). */
export function serialGreater(a: number, b: number): boolean {
  const x = a >>> 0;
  const y = b >>> 0;
  return (x < y && y - x > HALF) || (x > y && x - y < HALF);
}

/** RFC 1982 §3.1: `serial + n` for 0 ≤ n < 2^31. */
export function serialAdd(serial: number, n: number): number {
  if (!(n >= 0 && n < HALF)) throw new RangeError(`serial addition of ${n} is outside [0, 2^31)`);
  return ((serial >>> 0) + n) % MOD;
}

/**
 * The serial to serve after `previous` when the inputs say `candidate`: the candidate when it is
 * greater in serial arithmetic (or nothing was served yet), else `previous + 1`. The result is
 * always greater than `previous`, so a change can never look older to a secondary.
 */
export function nextSerial(previous: number | null, candidate: number): number {
  const c = candidate >>> 0;
  if (previous === null || serialGreater(c, previous)) return c;
  return serialAdd(previous, 1);
}

/**
 * The fleet's serial: `epochSeconds + revision` (mod 2^32), where `epochSeconds` is fixed when the
 * shared operator-state bucket is created and `revision` is the bucket's latest revision (the
 * JetStream sequence, the same on every instance, and larger after every write). Instances that
 * have applied the same revision serve the same serial; any later write gives a larger one
 * (fewer than 2^31 writes apart).
 */
export function fleetSerial(epochSeconds: number, revision: number): number {
  if (!Number.isSafeInteger(revision) || revision < 0) throw new RangeError(`bad revision ${revision}`);
  return ((Math.floor(epochSeconds) % MOD) + (revision % MOD)) % MOD;
}
