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
  const steps = nestedScopeSteps(prefixes, work);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `nestedScopes` as a generator that pauses after every `slice` prefixes of each pass, so that
 * a caller can give way to other work in between (`ClientLocator.build`); returns the scopes.
 */
export function* nestedScopeSteps(
  prefixes: readonly IpPrefix[],
  work: ScopeWork = { steps: 0 },
  slice = 500,
): Generator<void, number[]> {
  const scopes = prefixes.map((p) => p.length);
  // Address order, shorter first on equal addresses: each prefix then comes right before every
  // prefix it contains, and those form one run. IPv4 sorts by one number, IPv6 byte by byte.
  // IPv4: one number per prefix (address × 64 + length), sorted natively; equal keys keep
  // their declaration order.
  const byKey = new Map<number, number[]>();
  const v6: number[] = [];
  for (let i = 0; i < prefixes.length; i++) {
    const p = prefixes[i]!;
    if (p.family === 6) v6.push(i);
    else {
      const b = p.bytes;
      const key = (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) * 64 + p.length;
      const same = byKey.get(key);
      if (same) same.push(i);
      else byKey.set(key, [i]);
    }
    if ((i + 1) % slice === 0) yield;
  }
  const keys = Float64Array.from(byKey.keys()).sort();
  work.steps += keys.length;
  yield;
  const order: number[] = [];
  for (const key of keys) order.push(...byKey.get(key)!);
  v6.sort((a, b) => {
    work.steps += 1;
    return compare(prefixes[a]!, prefixes[b]!);
  });
  order.push(...v6);
  yield;
  // The sweep keeps the chain of prefixes containing the current one; when a prefix leaves the
  // chain, its scope widens its container's.
  const chain: number[] = [];
  const leave = () => {
    const gone = chain.pop()!;
    const parent = chain[chain.length - 1];
    if (parent !== undefined) scopes[parent] = Math.max(scopes[parent]!, scopes[gone]!);
  };
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const p = prefixes[i]!;
    for (;;) {
      work.steps += 1;
      const top = chain[chain.length - 1];
      if (top === undefined || contains(prefixes[top]!, p)) break;
      leave();
    }
    chain.push(i);
    if ((k + 1) % slice === 0) yield;
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
