import { describe, expect, it } from 'vitest';
import { applyProbe, type FlapGuard, INITIAL_FLAP_GUARD } from './flap-guard.js';

function run(results: string, t = { rise: 2, fall: 2 }, start: FlapGuard = INITIAL_FLAP_GUARD): string {
  let g = start;
  let states = '';
  for (const c of results) {
    g = applyProbe(g, c === '+', t);
    states += g.state === 'up' ? 'U' : g.state === 'down' ? 'D' : '?';
  }
  return states;
}

describe('applyProbe', () => {
  it.each([
    // results (+ ok, - fail)   thresholds        states after each result
    ['+', { rise: 2, fall: 2 }, 'U'],
    ['-', { rise: 2, fall: 2 }, 'D'],
    ['+-+-', { rise: 2, fall: 2 }, 'UUUU'],
    ['+--', { rise: 2, fall: 2 }, 'UUD'],
    ['+--+', { rise: 2, fall: 2 }, 'UUDD'],
    ['+--++', { rise: 2, fall: 2 }, 'UUDDU'],
    ['+--+-++', { rise: 2, fall: 2 }, 'UUDDDDU'],
    ['+---', { rise: 1, fall: 3 }, 'UUUD'],
    ['-+', { rise: 1, fall: 1 }, 'DU'],
    ['+-', { rise: 1, fall: 1 }, 'UD'],
    ['-++++', { rise: 5, fall: 2 }, 'DDDDD'],
    ['-+++++', { rise: 5, fall: 2 }, 'DDDDDU'],
  ])('%s with %o → %s', (results, t, states) => {
    expect(run(results, t)).toBe(states);
  });

  it('returns the same object when nothing changes', () => {
    const up = applyProbe(INITIAL_FLAP_GUARD, true, { rise: 2, fall: 2 });
    const upAgain = applyProbe(up, true, { rise: 2, fall: 2 });
    expect(upAgain).not.toBe(up);
    expect(upAgain).toEqual({ state: 'up', successes: 2, failures: 0 });
    expect(applyProbe(upAgain, true, { rise: 2, fall: 2 })).toBe(upAgain);
  });

  it('treats thresholds below 1 as 1', () => {
    expect(run('+-', { rise: 0, fall: 0 })).toBe('UD');
  });
});
