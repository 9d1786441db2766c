// Rules `home-not-a-region`, `unknown-reference` and `duplicate-name`: every name points at
// something declared, once.
import type { Finding } from '../diagnostic.js';
import { type LintWork, noLintWork } from '../lint-work.js';
import { relativeHostname } from '../placement.js';
import type { WorldInput } from '../world-schema.js';

/** Checks that home, every service, region, workload and network reference exists. */
export function checkReferences(w: WorldInput, work: LintWork = noLintWork()): Finding[] {
  const out: Finding[] = [];
  const regions = new Set(Object.keys(w.regions));
  const services = new Set(Object.keys(w.services));
  const networks = new Set(w.networks.map((n) => n.name));
  // Each list is written once and names at most LISTED of its entries, so that a message does
  // not grow with the world (20 000 networks once made every message 200 KB).
  const lists = new Map<Set<string>, string>();
  const list = (s: Set<string>) => {
    let text = lists.get(s);
    if (text === undefined) {
      work.steps += Math.min(s.size, LISTED);
      text = nameList(s);
      lists.set(s, text);
    }
    return text;
  };
  const unknown = (
    path: PropertyKey[],
    kind: string,
    name: string,
    known: Set<string>,
    where: string,
  ): Finding => ({
    code: 'unknown-reference',
    severity: 'error',
    path,
    message: `${kind} "${name}" is not declared under ${where}; use one of: ${list(known)}`,
  });

  if (!regions.has(w.home)) {
    out.push({
      code: 'home-not-a-region',
      severity: 'error',
      path: ['home'],
      message: `home "${w.home}" is not one of the declared regions (${list(regions)}); declare it under regions or pick one of them`,
    });
  }
  for (const [sName, s] of Object.entries(w.services)) {
    if (Array.isArray(s.in)) {
      s.in.forEach((r, i) => {
        if (!regions.has(r)) out.push(unknown(['services', sName, 'in', i], 'region', r, regions, 'regions'));
      });
    }
    s.dependsOn.forEach((d, i) => {
      if (!services.has(d.service)) {
        out.push(
          unknown(['services', sName, 'dependsOn', i, 'service'], 'service', d.service, services, 'services'),
        );
      }
    });
  }
  for (const [hName, h] of Object.entries(w.hostnames)) {
    if (!services.has(h.workload)) {
      out.push(unknown(['hostnames', hName, 'workload'], 'workload', h.workload, services, 'services'));
    }
    if (h.rollout && !regions.has(h.rollout.region)) {
      out.push(
        unknown(['hostnames', hName, 'rollout', 'region'], 'region', h.rollout.region, regions, 'regions'),
      );
    }
    h.order?.forEach((r, i) => {
      if (!regions.has(r))
        out.push(unknown(['hostnames', hName, 'order', i], 'region', r, regions, 'regions'));
    });
  }
  const places = new Set([...networks, ...regions]);
  for (const [place, row] of Object.entries(w.latency ?? {})) {
    if (!networks.has(place) && !regions.has(place)) {
      out.push({
        code: 'unknown-reference',
        severity: 'error',
        path: ['latency', place],
        at: 'key',
        message: `latency place "${place}" is neither a network name nor a region; use one of: ${list(places)}`,
      });
    }
    for (const region of Object.keys(row)) {
      if (!regions.has(region))
        out.push({ ...unknown(['latency', place, region], 'region', region, regions, 'regions'), at: 'key' });
    }
  }
  for (const network of Object.keys(w.lab?.users ?? {})) {
    if (!networks.has(network)) {
      out.push({
        ...unknown(['lab', 'users', network], 'network', network, networks, 'networks'),
        at: 'key',
      });
    }
  }
  return out;
}

/** How many names a message lists at most. */
const LISTED = 10;

/** `a, b, c`, or the first LISTED names and how many more; `(none declared)` when empty. */
function nameList(names: Set<string>): string {
  if (names.size === 0) return '(none declared)';
  const shown: string[] = [];
  for (const name of names) {
    if (shown.length === LISTED) break;
    shown.push(name);
  }
  return names.size > LISTED ? `${shown.join(', ')} … (${names.size - LISTED} more)` : shown.join(', ');
}

/** Checks that network names and hostnames (compared as DNS names) are unique. */
export function checkDuplicateNames(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const seenNetworks = new Map<string, number>();
  w.networks.forEach((n, i) => {
    const first = seenNetworks.get(n.name);
    if (first !== undefined) {
      out.push({
        code: 'duplicate-name',
        severity: 'error',
        path: ['networks', i, 'name'],
        message: `network name "${n.name}" is already used by networks[${first}]; give each network its own name`,
      });
    } else seenNetworks.set(n.name, i);
  });
  const seenHosts = new Map<string, string>();
  for (const [key, h] of Object.entries(w.hostnames)) {
    const rel = relativeHostname(key, w.zone);
    const firstKey = seenHosts.get(rel);
    if (firstKey === undefined) {
      seenHosts.set(rel, key);
      continue;
    }
    const first = w.hostnames[firstKey];
    const shared = first !== undefined && first.workload !== h.workload;
    out.push({
      code: shared ? 'hostname-shared' : 'duplicate-name',
      severity: 'error',
      path: ['hostnames', key],
      at: 'key',
      message: shared
        ? `hostname "${key}" is the same DNS name as "${firstKey}" but serves workload "${h.workload}" instead of "${first.workload}"; a hostname serves exactly one workload, so give each workload its own hostname (the guide: "create different hostnames for different workloads")`
        : `hostname "${key}" is the same DNS name as "${firstKey}"; keep one of them`,
    });
  }
  return out;
}
