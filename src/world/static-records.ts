// The world's static records (`records:`), resolved to absolute lowercase names and typed data:
// what the name server serves beside the steered hostnames. Lint (rules/records.ts) has already
// refused everything that could not be served.
import { relativeHostname } from './placement.js';
import type { StaticRecordSetInput, WorldInput } from './world-schema.js';

export type StaticRecordData =
  | { readonly type: 'A' | 'AAAA'; readonly address: string }
  | { readonly type: 'CNAME' | 'NS'; readonly target: string }
  | { readonly type: 'TXT'; readonly strings: readonly string[] }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | { readonly type: 'CAA'; readonly flags: number; readonly tag: string; readonly value: string }
  | {
      readonly type: 'SRV';
      readonly priority: number;
      readonly weight: number;
      readonly port: number;
      readonly target: string;
    };

export type StaticRecordType = StaticRecordData['type'];

/** One RRset: every record of one type at one name. */
export interface StaticRecordSet {
  /** Absolute, lowercase, no trailing dot (the apex is the zone itself). */
  readonly fqdn: string;
  readonly type: StaticRecordType;
  readonly ttlSeconds: number;
  readonly records: readonly StaticRecordData[];
}

export const STATIC_RECORD_TYPES: readonly StaticRecordType[] = [
  'A',
  'AAAA',
  'CNAME',
  'TXT',
  'MX',
  'CAA',
  'SRV',
  'NS',
];

/** The absolute name of a `records:` key: `@` is the apex, names ending in the zone are absolute. */
export function recordOwner(key: string, zone: string): string {
  const rel = relativeHostname(key, zone);
  return rel === '@' ? zone : key.endsWith('.') ? key.toLowerCase().slice(0, -1) : `${rel}.${zone}`;
}

/** A target name as written: absolute, lowercase, without the trailing dot (`@` is the apex). */
export function recordTarget(text: string, zone: string): string {
  return text === '@' ? zone : text.toLowerCase().replace(/\.$/, '');
}

/** TXT text as character-strings of at most 255 bytes. */
function txtStrings(entry: string | readonly string[]): string[] {
  if (typeof entry !== 'string') return [...entry];
  const out: string[] = [];
  for (let i = 0; i < entry.length; i += 255) out.push(entry.slice(i, i + 255));
  return out.length > 0 ? out : [''];
}

function setsOf(fqdn: string, set: StaticRecordSetInput, ttl: number, zone: string): StaticRecordSet[] {
  const out: StaticRecordSet[] = [];
  const push = (type: StaticRecordType, records: StaticRecordData[]) => {
    if (records.length > 0) out.push({ fqdn, type, ttlSeconds: ttl, records });
  };
  push(
    'A',
    (set.A ?? []).map((address) => ({ type: 'A', address })),
  );
  push(
    'AAAA',
    (set.AAAA ?? []).map((address) => ({ type: 'AAAA', address })),
  );
  if (set.CNAME) push('CNAME', [{ type: 'CNAME', target: recordTarget(set.CNAME, zone) }]);
  push(
    'TXT',
    (set.TXT ?? []).map((t) => ({ type: 'TXT', strings: txtStrings(t) })),
  );
  push(
    'MX',
    (set.MX ?? []).map((m) => ({
      type: 'MX',
      preference: m.preference,
      exchange: recordTarget(m.exchange, zone),
    })),
  );
  push(
    'CAA',
    (set.CAA ?? []).map((c) => ({ type: 'CAA', flags: c.flags, tag: c.tag, value: c.value })),
  );
  push(
    'SRV',
    (set.SRV ?? []).map((r) => ({
      type: 'SRV',
      priority: r.priority,
      weight: r.weight,
      port: r.port,
      target: recordTarget(r.target, zone),
    })),
  );
  push(
    'NS',
    (set.NS ?? []).map((n) => ({ type: 'NS', target: recordTarget(n, zone) })),
  );
  return out;
}

/** Every static RRset of the world, and the steered hostname the apex aliases (or null). */
export function resolveStaticRecords(
  input: WorldInput,
  zone: string,
): {
  records: StaticRecordSet[];
  apexAlias: string | null;
} {
  const records: StaticRecordSet[] = [];
  let apexAlias: string | null = null;
  for (const [key, set] of Object.entries(input.records)) {
    const fqdn = recordOwner(key, zone);
    records.push(...setsOf(fqdn, set, set.ttlSeconds ?? input.dns.ttlSeconds, zone));
    if (set.ALIAS && fqdn === zone) {
      const rel = relativeHostname(set.ALIAS, zone);
      apexAlias = rel === '@' ? zone : `${rel}.${zone}`;
    }
  }
  return { records, apexAlias };
}
