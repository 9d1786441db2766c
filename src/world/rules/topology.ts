// Rules `topology-hard-dependency-on-home` (guide rule 1), `topology-home-depends-on-region`
// (rule 2) and `topology-cross-region` (rule 3).
import type { Finding } from '../diagnostic.js';
import { type LintWork, noLintWork } from '../lint-work.js';
import { placementOf } from '../placement.js';
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

/**
 * Rule `dependency-cycle`: services must not depend on themselves through any chain. One depth-
 * first walk with its own stack (a chain thousands of services deep must not overflow the call
 * stack), each dependency followed once; each dependency that closes a cycle is one finding.
 */
export function checkDependencyCycles(w: WorldInput, work: LintWork = noLintWork()): Finding[] {
  const out: Finding[] = [];
  const done = new Set<string>();
  /** The services on the current path, and where each is on it. */
  const path: string[] = [];
  const onPath = new Map<string, number>();
  const frames: Array<{ name: string; next: number }> = [];
  for (const root of Object.keys(w.services)) {
    if (done.has(root)) continue;
    frames.push({ name: root, next: 0 });
    onPath.set(root, 0);
    path.push(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const deps = w.services[frame.name]?.dependsOn ?? [];
      if (frame.next >= deps.length) {
        frames.pop();
        path.pop();
        onPath.delete(frame.name);
        done.add(frame.name);
        continue;
      }
      const i = frame.next++;
      const dep = deps[i]!.service;
      work.steps += 1;
      if (!w.services[dep] || done.has(dep)) continue;
      const at = onPath.get(dep);
      if (at !== undefined) {
        out.push({
          code: 'dependency-cycle',
          severity: 'error',
          path: ['services', frame.name, 'dependsOn', i],
          message: `dependency cycle ${cycleText(path, at, dep)}; services must form a tree so that losing one never takes down its own dependencies: break the cycle`,
        });
        continue;
      }
      onPath.set(dep, path.length);
      path.push(dep);
      frames.push({ name: dep, next: 0 });
    }
  }
  return out;
}

/** `a → b → c → a` from `path[from]` to its end and back; a long cycle shows its ends only. */
function cycleText(path: readonly string[], from: number, closing: string): string {
  const length = path.length - from;
  if (length <= 12) return [...path.slice(from), closing].join(' → ');
  return [
    ...path.slice(from, from + 6),
    `… (${length - 11} more)`,
    ...path.slice(path.length - 5),
    closing,
  ].join(' → ');
}
