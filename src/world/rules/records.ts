// Rules `record-name-out-of-zone`, `record-cname-and-other-data`, `record-address-invalid`,
// `record-target-relative`, `record-caa-syntax`, `record-glue-missing`, `record-below-delegation`,
// `record-apex-ns`, `record-alias` and `record-hostname-conflict`: every static record can be
// served as written, and none contradicts another or a steered hostname.
import { parseAddress } from '../../core/index.js';
import type { Finding } from '../diagnostic.js';
import { relativeHostname } from '../placement.js';
import { recordOwner, recordTarget } from '../static-records.js';
import type { StaticRecordSetInput, WorldInput } from '../world-schema.js';

const DATA_TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'CAA', 'SRV', 'NS', 'ALIAS'] as const;
/** RFC 8659 §4: property tags a CA must understand. */
const CAA_TAGS = new Set(['issue', 'issuewild', 'iodef']);

function under(name: string, parent: string): boolean {
  return name === parent || name.endsWith(`.${parent}`);
}

/** `issue`/`issuewild` value (RFC 8659 §4.2): empty, or a domain, then `; key=value` parameters. */
function caaIssuerProblem(value: string): string | null {
  const [issuer = '', ...params] = value.split(';');
  const domain = issuer.trim();
  if (domain !== '' && !/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(domain))
    return `"${domain}" is not a CA's domain name (e.g. letsencrypt.org), or leave it empty to forbid issuance`;
  for (const p of params) {
    if (p.trim() === '') continue;
    if (!/^\s*[a-z0-9]+=[\x21-\x3a\x3c-\x7e]*\s*$/i.test(p))
      return `parameter "${p.trim()}" is not key=value (e.g. "letsencrypt.org; validationmethods=dns-01")`;
  }
  return null;
}

function caaProblems(c: { flags: number; tag: string; value: string }): string | null {
  if (c.flags !== 0 && c.flags !== 128)
    return `flags ${c.flags}: use 0, or 128 to mark the property critical`;
  if (!/^[a-z0-9]{1,15}$/i.test(c.tag)) return `tag "${c.tag}" must be 1–15 letters or digits`;
  if (!CAA_TAGS.has(c.tag.toLowerCase()))
    return `tag "${c.tag}" is not one CAs understand: use issue, issuewild or iodef`;
  if (c.tag.toLowerCase() === 'iodef') {
    return /^(mailto:[^@\s]+@[^@\s]+|https?:\/\/\S+)$/i.test(c.value)
      ? null
      : `iodef "${c.value}" must be a mailto: or http(s): URL where CAs report refused requests`;
  }
  return caaIssuerProblem(c.value);
}

/** Checks every `records:` entry against the zone, each other, and the steered hostnames. */
export function checkRecords(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const zone = w.zone.toLowerCase().replace(/\.$/, '');
  const hostnames = new Set(
    Object.keys(w.hostnames).map((k) => {
      const rel = relativeHostname(k, zone);
      return rel === '@' ? zone : `${rel}.${zone}`;
    }),
  );
  const entries = Object.entries(w.records).map(([key, set]) => ({ key, set, fqdn: recordOwner(key, zone) }));
  const inZone = entries.filter((e) => {
    if (under(e.fqdn, zone)) return true;
    out.push({
      code: 'record-name-out-of-zone',
      severity: 'error',
      path: ['records', e.key],
      at: 'key',
      message: `"${e.key}" is not in zone ${zone}: a name server only serves its own zone (glue for an out-of-zone name server is published by that name's own zone); write a name under ${zone}, or @ for the apex`,
    });
    return false;
  });
  const delegations = inZone.filter((e) => e.set.NS && e.fqdn !== zone);
  for (const { key, set, fqdn } of inZone) {
    const path = ['records', key];
    const types = DATA_TYPES.filter((t) => set[t as keyof StaticRecordSetInput] !== undefined);
    if (set.CNAME !== undefined && (types.length > 1 || fqdn === zone || hostnames.has(fqdn))) {
      const others =
        fqdn === zone
          ? 'SOA and NS (it is the apex)'
          : hostnames.has(fqdn)
            ? 'a steered hostname'
            : types.filter((t) => t !== 'CNAME').join(', ');
      out.push({
        code: 'record-cname-and-other-data',
        severity: 'error',
        path: [...path, 'CNAME'],
        message: `"${key}" has a CNAME and also ${others}; a CNAME must be the only data at its name (RFC 1034 §3.6.2): move the other records, or use ALIAS at the apex`,
      });
    }
    if (hostnames.has(fqdn) && (set.A || set.AAAA || set.ALIAS)) {
      out.push({
        code: 'record-hostname-conflict',
        severity: 'error',
        path: [...path, set.A ? 'A' : set.AAAA ? 'AAAA' : 'ALIAS'],
        message: `"${key}" is a steered hostname: its A/AAAA answers come from the policy; remove these records or the hostname`,
      });
    }
    for (const family of ['A', 'AAAA'] as const) {
      set[family]?.forEach((a, i) => {
        const p = parseAddress(a);
        if (!p.ok || p.value.family !== (family === 'A' ? 4 : 6))
          out.push({
            code: 'record-address-invalid',
            severity: 'error',
            path: [...path, family, i],
            message: `"${a}" is not an ${family === 'A' ? 'IPv4' : 'IPv6'} address (${family} records hold ${family === 'A' ? 'e.g. 192.0.2.10' : 'e.g. 2001:db8::10'})`,
          });
      });
    }
    const targets: [PropertyKey[], string][] = [
      ...(set.CNAME ? [[['CNAME'], set.CNAME] as [PropertyKey[], string]] : []),
      ...(set.MX ?? []).map((m, i) => [['MX', i, 'exchange'], m.exchange] as [PropertyKey[], string]),
      ...(set.SRV ?? []).map((r, i) => [['SRV', i, 'target'], r.target] as [PropertyKey[], string]),
      ...(set.NS ?? []).map((n, i) => [['NS', i], n] as [PropertyKey[], string]),
    ];
    for (const [p, t] of targets) {
      if (t !== '@' && !t.replace(/\.$/, '').includes('.') && t !== '.')
        out.push({
          code: 'record-target-relative',
          severity: 'error',
          path: [...path, ...p],
          message: `target "${t}" has one label; targets are absolute names: write ${t}.${zone} (or @ for the apex)`,
        });
    }
    set.CAA?.forEach((c, i) => {
      const problem = caaProblems(c);
      if (problem)
        out.push({
          code: 'record-caa-syntax',
          severity: 'error',
          path: [...path, 'CAA', i],
          message: problem,
        });
    });
    if (set.NS && fqdn === zone)
      out.push({
        code: 'record-apex-ns',
        severity: 'error',
        path: [...path, 'NS'],
        message: 'the apex NS records come from dns.nameservers; list the name servers there',
      });
    if (set.ALIAS !== undefined) {
      const target = relativeHostname(set.ALIAS, zone);
      const targetFqdn = target === '@' ? zone : `${target}.${zone}`;
      const problem =
        fqdn !== zone
          ? 'ALIAS is only for the apex (elsewhere use a CNAME)'
          : !hostnames.has(targetFqdn) || targetFqdn === zone
            ? `"${set.ALIAS}" is not a steered hostname of the world (hostnames: ${[...hostnames].join(', ') || 'none'})`
            : set.A || set.AAAA
              ? 'the apex has A/AAAA records too; with ALIAS they come from the steered hostname'
              : null;
      if (problem)
        out.push({ code: 'record-alias', severity: 'error', path: [...path, 'ALIAS'], message: problem });
    }
    // data below a delegation is not this zone's to serve, except glue for its name servers
    for (const d of delegations) {
      if (d.fqdn === fqdn || !under(fqdn, d.fqdn)) continue;
      const nsTargets = (d.set.NS ?? []).map((n) => recordTarget(n, zone));
      const isGlue = nsTargets.includes(fqdn) && types.every((t) => t === 'A' || t === 'AAAA');
      if (!isGlue)
        out.push({
          code: 'record-below-delegation',
          severity: 'error',
          path,
          at: 'key',
          message: `"${key}" is below the delegation of ${d.fqdn} to ${nsTargets.join(', ')}; only glue (A/AAAA of those name servers) may be here: move the data into the child zone`,
        });
    }
  }
  for (const d of delegations) {
    (d.set.NS ?? []).forEach((n, i) => {
      const target = recordTarget(n, zone);
      if (!under(target, d.fqdn)) return;
      const glue = inZone.find((e) => e.fqdn === target && (e.set.A || e.set.AAAA));
      if (!glue)
        out.push({
          code: 'record-glue-missing',
          severity: 'error',
          path: ['records', d.key, 'NS', i],
          message: `name server ${target} is inside the delegated zone ${d.fqdn}, so resolvers need its address here: add records: { "${target}": { A: [...] } }`,
        });
    });
  }
  return out;
}
