// Rules `topology-hard-dependency-on-home` (guide rule 1), `topology-home-depends-on-region`
// (rule 2) and `topology-cross-region` (rule 3).
import type { Finding } from '../diagnostic.js';
import { placementOf } from '../placement.js';
import type { LintWork } from '../lint-work.js';
import type { WorldInput } from '../world-schema.js';

/**
 * For every region R where service S runs and every dependency D of S: D runs in R, or R is
 * not home, D runs in home, and the dependency is soft. Each other shape is one finding.
 */
export function checkTopology(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  for (const [sName, s] of Object.entries(w.services)) {
    const where = placementOf(w, sName);
    s.dependsOn.forEach((dep, i) => {
      if (!w.services[dep.service]) return;
      const depWhere = new Set(placementOf(w, dep.service));
      const path = ['services', sName, 'dependsOn', i];
      const missing = where.filter((r) => !depWhere.has(r));
      const home = missing.filter((r) => r === w.home);
      const others = missing.filter((r) => r !== w.home);
      if (home.length > 0) {
        out.push({
          code: 'topology-home-depends-on-region',
          severity: 'error',
          path,
          message: `"${sName}" runs in home (${w.home}) but depends on "${dep.service}", which does not run there; home must never call or know about a region (rule 2): run "${dep.service}" in home too, or drop the dependency`,
        });
      }
      const viaHome = others.filter(() => depWhere.has(w.home));
      const elsewhere = others.filter(() => !depWhere.has(w.home));
      if (viaHome.length > 0 && dep.kind === 'hard') {
        out.push({
          code: 'topology-hard-dependency-on-home',
          severity: 'error',
          path: [...path, 'kind'],
          message: `"${sName}" in ${viaHome.join(', ')} has a hard dependency on "${dep.service}", which runs only in home; regions may call home only when it is not needed to serve traffic (rule 1): make it soft (cache, outbox) or run "${dep.service}" in those regions`,
        });
      }
      if (elsewhere.length > 0) {
        out.push({
          code: 'topology-cross-region',
          severity: 'error',
          path,
          message: `"${sName}" in ${elsewhere.join(', ')} depends on "${dep.service}", which runs only in ${[...depWhere].join(', ') || 'no region'}; regions never talk to each other (rule 3): run "${dep.service}" in every region of "${sName}" or in home`,
        });
      }
    });
  }
  return out;
}

/** Rule `dependency-cycle`: services must not depend on themselves through any chain. */
export function checkDependencyCycles(w: WorldInput, work: LintWork = { steps: 0 }): Finding[] {
  const out: Finding[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (name: string, stack: string[]) => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const key = [...cycle.slice(0, -1)].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        const from = stack[stack.length - 1] ?? name;
        const i = w.services[from]?.dependsOn.findIndex((d) => d.service === name) ?? -1;
        out.push({
          code: 'dependency-cycle',
          severity: 'error',
          path: ['services', from, 'dependsOn', Math.max(0, i)],
          message: `dependency cycle ${cycle.join(' → ')}; services must form a tree so that losing one never takes down its own dependencies: break the cycle`,
        });
      }
      return;
    }
    state.set(name, 'visiting');
    for (const dep of w.services[name]?.dependsOn ?? []) {
      work.steps += stack.length + 1;
      if (w.services[dep.service]) visit(dep.service, [...stack, name]);
    }
    state.set(name, 'done');
  };
  for (const name of Object.keys(w.services)) visit(name, []);
  return out;
}
