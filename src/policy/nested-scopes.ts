// The ECS scope of each world network: its own prefix length, widened to the longest network
// nested inside it (a client there may be in the nested network, which answers differently).
// One sort and one sweep: n log n, where comparing every network with every other was n².
import type { IpPrefix } from '../core/index.js';

/** Counts the sweep's steps (tests prove it n log n with it). */
export interface ScopeWork {
  steps: number;
}

/** For each prefix, the longest length of a prefix of its family it contains (itself included). */
export function nestedScopes(prefixes: readonly IpPrefix[], work: ScopeWork = { steps: 0 }): number[] {
  const scopes = prefixes.map((p) => p.length);
  // Address order, shorter first on equal addresses: each prefix then comes right before every
  // prefix it contains, and those form one run. IPv4 sorts by one number, IPv6 byte by byte.
  const v4: number[] = [];
  const v6: number[] = [];
  prefixes.forEach((p, i) => {
    (p.family === 4 ? v4 : v6).push(i);
  });
  const v4Keys = new Float64Array(prefixes.length);
  for (const i of v4) {
    const b = prefixes[i]!.bytes;
    v4Keys[i] = (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) * 64 + prefixes[i]!.length;
  }
  v4.sort((a, b) => {
    work.steps += 1;
    return v4Keys[a]! - v4Keys[b]!;
  });
  v6.sort((a, b) => {
    work.steps += 1;
    return compare(prefixes[a]!, prefixes[b]!);
  });
  const order = [...v4, ...v6];
  // The sweep keeps the chain of prefixes containing the current one; when a prefix leaves the
  // chain, its scope widens its container's.
  const chain: number[] = [];
  const leave = () => {
    const gone = chain.pop()!;
    const parent = chain[chain.length - 1];
    if (parent !== undefined) scopes[parent] = Math.max(scopes[parent]!, scopes[gone]!);
  };
  for (const i of order) {
    const p = prefixes[i]!;
    for (;;) {
      work.steps += 1;
      const top = chain[chain.length - 1];
      if (top === undefined || contains(prefixes[top]!, p)) break;
      leave();
    }
    chain.push(i);
  }
  while (chain.length > 0) leave();
  return scopes;
}

function compare(a: IpPrefix, b: IpPrefix): number {
  for (let i = 0; i < a.bytes.length; i++) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** True when `outer` contains `inner` (same family, no longer, same leading bits); allocates nothing. */
function contains(outer: IpPrefix, inner: IpPrefix): boolean {
  if (outer.family !== inner.family || outer.length > inner.length) return false;
  const full = outer.length >>> 3;
  for (let i = 0; i < full; i++) if (outer.bytes[i] !== inner.bytes[i]) return false;
  const rest = outer.length & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((outer.bytes[full] ?? 0) & mask) === ((inner.bytes[full] ?? 0) & mask);
}
