import fc from 'fast-check';
import { describe, it } from 'vitest';
import { applyProbe, INITIAL_FLAP_GUARD } from './flap-guard.js';

/** Reference model: the state after a result sequence, from run lengths alone. */
function model(results: boolean[], rise: number, fall: number): string {
  let state = 'unknown';
  let run = 0;
  let last: boolean | null = null;
  for (const ok of results) {
    run = ok === last ? run + 1 : 1;
    last = ok;
    if (state === 'unknown') state = ok ? 'up' : 'down';
    else if (state === 'up' && !ok && run >= fall) state = 'down';
    else if (state === 'down' && ok && run >= rise) state = 'up';
  }
  return state;
}

describe('applyProbe (property)', () => {
  it('matches the run-length model for any result sequence and thresholds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (results, rise, fall) => {
          let g = INITIAL_FLAP_GUARD;
          for (const ok of results) {
            const next = applyProbe(g, ok, { rise, fall });
            if (next.state !== g.state && g.state !== 'unknown') {
              // a flip needs a full run of `fall` failures or `rise` successes
              if (next.state === 'down' && next.failures < fall) return false;
              if (next.state === 'up' && next.successes < rise) return false;
            }
            g = next;
          }
          return g.state === (results.length === 0 ? 'unknown' : model(results, rise, fall));
        },
      ),
      { numRuns: process.env.CI ? 200 : 1000 },
    );
  });
});
