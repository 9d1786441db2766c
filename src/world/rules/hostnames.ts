// Rules `hostname-single-region`, `hostname-home-placement`, `hostname-order-placement`,
// `rollout-percent` and `rollout-region`: each hostname can be steered as declared.
import type { Finding } from '../diagnostic.js';
import { placementOf } from '../placement.js';
import type { WorldInput } from '../world-schema.js';

/** Checks each hostname's policy against where its workload runs. */
export function checkHostnames(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  for (const [hName, h] of Object.entries(w.hostnames)) {
    if (!w.services[h.workload]) continue;
    const where = placementOf(w, h.workload);
    const path = ['hostnames', hName];
    if (h.policy === 'home') {
      if (!where.includes(w.home)) {
        out.push({
          code: 'hostname-home-placement',
          severity: 'error',
          path: [...path, 'policy'],
          message: `hostname "${hName}" has policy home but workload "${h.workload}" does not run in home (${w.home}); run it in home or choose policy latency/failover`,
        });
      }
    } else if (where.length < 2) {
      out.push({
        code: 'hostname-single-region',
        severity: 'warning',
        path: [...path, 'policy'],
        message: `hostname "${hName}" uses policy ${h.policy} but "${h.workload}" runs in ${where.length === 0 ? 'no region' : `only ${where[0]}`}; steering needs at least two regions (or use policy home)`,
      });
    }
    h.order?.forEach((r, i) => {
      if (w.regions[r] && !where.includes(r)) {
        out.push({
          code: 'hostname-order-placement',
          severity: 'error',
          path: [...path, 'order', i],
          message: `region "${r}" in the failover order does not run "${h.workload}"; list only regions in ${where.join(', ')}`,
        });
      }
    });
    if (h.rollout) {
      const p = h.rollout.percent;
      if (!(p >= 0 && p <= 100) || Math.abs(Math.round(p * 100) - p * 100) > 1e-6) {
        out.push({
          code: 'rollout-percent',
          severity: 'error',
          path: [...path, 'rollout', 'percent'],
          message: `rollout percent ${p} must be between 0 and 100 in steps of 0.01 (basis points), e.g. 0.1, 1, 5`,
        });
      }
      if (w.regions[h.rollout.region] && !where.includes(h.rollout.region)) {
        out.push({
          code: 'rollout-region',
          severity: 'error',
          path: [...path, 'rollout', 'region'],
          message: `rollout region "${h.rollout.region}" does not run workload "${h.workload}"; add it to services.${h.workload}.in first`,
        });
      }
    }
  }
  return out;
}
