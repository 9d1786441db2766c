// The ECS scope of each world network: its own prefix length, widened to the longest network
// nested inside it (a client there may be in the nested network, which answers differently).
// One sort and one sweep: n log n, where comparing every network with every other was n².
import { type IpPrefix, prefixContains } from '../core/index.js';

/** Counts the sweep's steps (tests prove it n log n with it). */
export interface ScopeWork {
  steps: number;
}

/** For each prefix, the longest length of a prefix of its family it contains (itself included). */
export function nestedScopes(prefixes: readonly IpPrefix[], work: ScopeWork = { steps: 0 }): number[] {
  const scopes = prefixes.map((p) => p.length);
  const order = prefixes.map((_, i) => i);
  // Address order, shorter first on equal addresses: each prefix then comes right before every
  // prefix it contains, and those form one run.
  order.sort((a, b) => {
    work.steps += 1;
    return compare(prefixes[a]!, prefixes[b]!);
  });
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
      if (top === undefined || prefixContains(prefixes[top]!, p)) break;
      leave();
    }
    chain.push(i);
  }
  while (chain.length > 0) leave();
  return scopes;
}

function compare(a: IpPrefix, b: IpPrefix): number {
  if (a.family !== b.family) return a.family - b.family;
  for (let i = 0; i < a.bytes.length; i++) {
    const d = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
