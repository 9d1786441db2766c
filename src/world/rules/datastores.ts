// Rule `datastore-owners`: every datastore is owned by exactly one service, the end state of
// the guide's monolith mitosis.
import type { Finding } from '../diagnostic.js';
import type { WorldInput } from '../world-schema.js';

/** A datastore named in two services' `owns` is a monolith half-split. */
export function checkDatastoreOwners(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const owner = new Map<string, string>();
  for (const [sName, s] of Object.entries(w.services)) {
    s.owns.forEach((ds, i) => {
      const first = owner.get(ds);
      if (first === undefined) {
        owner.set(ds, sName);
      } else if (first === sName) {
        out.push({
          code: 'duplicate-name',
          severity: 'error',
          path: ['services', sName, 'owns', i],
          message: `"${ds}" is listed twice; keep one`,
        });
      } else {
        out.push({
          code: 'datastore-owners',
          severity: 'error',
          path: ['services', sName, 'owns', i],
          message: `datastore "${ds}" is owned by both "${first}" and "${sName}"; after monolith mitosis exactly one service owns (connects to) each datastore: give it to one and let the other call that service`,
        });
      }
    });
  }
  return out;
}
