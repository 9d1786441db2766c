// Rule `drain-min-serving`: the floor of serving regions can be met by the regions declared.
import type { Finding } from '../diagnostic.js';
import type { WorldInput } from '../world-schema.js';

/** `drain.minServing` larger than the number of regions would refuse every drain. */
export function checkDrain(w: WorldInput): Finding[] {
  const min = w.drain?.minServing;
  const regions = Object.keys(w.regions).length;
  if (min === undefined || min <= regions) return [];
  return [
    {
      code: 'drain-min-serving',
      severity: 'error',
      path: ['drain', 'minServing'],
      message: `drain.minServing is ${min} but the world has ${regions} region${regions === 1 ? '' : 's'}: every drain would be refused; use at most ${regions} (0 turns the floor off)`,
    },
  ];
}
