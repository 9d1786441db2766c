// Measured round-trip times between named places, parsed from `from,to,rtt_ms` CSV text.

/** Round-trip times in ms between named places; lookups are symmetric. */
export interface RttTable {
  /** The RTT from `a` to `b` (or `b` to `a` when only that is measured), else undefined. */
  get(a: string, b: string): number | undefined;
  /** Every place named in the table. */
  places(): readonly string[];
}

/**
 * Parses CSV lines `from,to,rtt_ms`; `#` lines and the header are skipped. When both
 * directions are measured the lookup returns their mean.
 */
export function parseRttCsv(text: string): RttTable {
  const sums = new Map<string, { total: number; count: number }>();
  const places = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('from,')) return;
    const [from, to, ms] = line.split(',').map((s) => s.trim());
    const rtt = Number(ms);
    if (!from || !to || !(rtt >= 0)) {
      throw new Error(`line ${index + 1}: expected "from,to,rtt_ms", got "${line}"`);
    }
    places.add(from).add(to);
    const key = pairKey(from, to);
    const s = sums.get(key) ?? { total: 0, count: 0 };
    s.total += rtt;
    s.count += 1;
    sums.set(key, s);
  });
  const means = new Map([...sums].map(([k, s]) => [k, s.total / s.count]));
  return {
    get: (a, b) => means.get(pairKey(a, b)),
    places: () => [...places].sort(),
  };
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
