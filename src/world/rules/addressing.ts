// Rules `cidr-invalid`, `cidr-overlap`, `address-invalid`, `address-duplicate` and
// `region-location-unknown`: regions must be peerable and reachable, vantages placeable.
import { formatPrefix, type IpPrefix, maskBytes, parseAddress, parseCidr } from '../../core/index.js';
import { findCloudRegion } from '../../geo/index.js';
import type { Finding } from '../diagnostic.js';
import { type LintWork, noLintWork } from '../lint-work.js';
import type { WorldInput } from '../world-schema.js';

/**
 * Region CIDRs are valid and pairwise disjoint; network CIDRs are valid. A region that overlaps
 * earlier ones is reported once, naming the first of them.
 */
export function checkCidrs(w: WorldInput, work: LintWork = noLintWork()): Finding[] {
  const out: Finding[] = [];
  // Two prefixes overlap when one contains the other. `exact` holds each region prefix (the
  // first region to declare it); `within` holds, for every prefix that contains a region prefix,
  // the first such region. A new prefix then needs one lookup per prefix length up to its own
  // (its containers) and one more (what it contains): linear in the number of regions, where
  // comparing each region with every other was quadratic.
  const exact = new Map<string, { region: string; order: number; prefix: IpPrefix }>();
  const within = new Map<string, { region: string; order: number; prefix: IpPrefix }>();
  let order = 0;
  for (const [region, r] of Object.entries(w.regions)) {
    const p = parseCidr(r.cidr);
    if (!p.ok) {
      out.push({
        code: 'cidr-invalid',
        severity: 'error',
        path: ['regions', region, 'cidr'],
        message: `region CIDR ${p.reason}`,
      });
      continue;
    }
    const prefix = p.value;
    let other = within.get(prefixKey(prefix.family, prefix.bytes, prefix.length));
    const keys: string[] = [];
    for (let length = 0; length <= prefix.length; length++) {
      work.steps += 1;
      const key = prefixKey(prefix.family, maskBytes(prefix.bytes, length), length);
      keys.push(key);
      const container = exact.get(key);
      if (container && (!other || container.order < other.order)) other = container;
    }
    if (other) {
      out.push({
        code: 'cidr-overlap',
        severity: 'error',
        path: ['regions', region, 'cidr'],
        message: `${formatPrefix(prefix)} overlaps ${formatPrefix(other.prefix)} of region "${other.region}"; peering back to home routes by CIDR, so every region needs its own disjoint block (e.g. 10.N.0.0/16)`,
      });
    }
    const entry = { region, order: order++, prefix };
    const own = keys[keys.length - 1]!;
    if (!exact.has(own)) exact.set(own, entry);
    for (const key of keys) if (!within.has(key)) within.set(key, entry);
  }
  w.networks.forEach((n, i) => {
    const p = parseCidr(n.cidr);
    if (!p.ok)
      out.push({
        code: 'cidr-invalid',
        severity: 'error',
        path: ['networks', i, 'cidr'],
        message: `network CIDR ${p.reason}`,
      });
  });
  return out;
}

/** Region addresses (IPv4 and IPv6) are valid, of the right family, and unique. */
export function checkAddresses(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
  const check = (region: string, field: 'address' | 'address6', text: string | undefined, family: 4 | 6) => {
    if (text === undefined) return;
    const a = parseAddress(text);
    if (!a.ok || a.value.family !== family) {
      out.push({
        code: 'address-invalid',
        severity: 'error',
        path: ['regions', region, field],
        message: `"${text}" is not an IPv${family} address; ${field} takes an IPv${family} address like ${family === 4 ? '127.0.2.1' : '2001:db8::2'}`,
      });
      return;
    }
    const key = a.value.bytes.join('.');
    const other = seen.get(key);
    if (other !== undefined) {
      out.push({
        code: 'address-duplicate',
        severity: 'error',
        path: ['regions', region, field],
        message: `${text} is also the address of region "${other}"; every region needs its own address or DNS cannot steer between them`,
      });
    } else seen.set(key, region);
  };
  for (const [region, r] of Object.entries(w.regions)) {
    check(region, 'address', r.address, 4);
    check(region, 'address6', r.address6, 6);
  }
  w.dns.nameservers.forEach((ns, i) => {
    if (!parseAddress(ns.address).ok) {
      out.push({
        code: 'address-invalid',
        severity: 'error',
        path: ['dns', 'nameservers', i, 'address'],
        message: `"${ns.address}" is not an IP address`,
      });
    }
  });
  return out;
}

/** Every region, network and vantage can be placed on the map. */
export function checkLocations(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  for (const [region, r] of Object.entries(w.regions)) {
    if (r.location) continue;
    const cloud = r.cloudRegion ?? region;
    if (!findCloudRegion(cloud)) {
      out.push({
        code: 'region-location-unknown',
        severity: 'error',
        path: ['regions', region, r.cloudRegion ? 'cloudRegion' : 'location'],
        at: r.cloudRegion ? 'value' : 'key',
        message: `"${cloud}" is not a known cloud region; add location: { lat, lon } or set cloudRegion to an AWS region name such as eu-west-2`,
      });
    }
  }
  w.networks.forEach((n, i) => {
    if (n.location) return;
    if (!n.cloudRegion || !findCloudRegion(n.cloudRegion)) {
      out.push({
        code: 'region-location-unknown',
        severity: 'error',
        path: ['networks', i, n.cloudRegion ? 'cloudRegion' : 'name'],
        message: `network "${n.name}" has no location; add location: { lat, lon } or cloudRegion: <a known AWS region>`,
      });
    }
  });
  for (const [name, v] of Object.entries(w.vantages)) {
    if (v.location || (v.cloudRegion && findCloudRegion(v.cloudRegion))) continue;
    out.push({
      code: 'region-location-unknown',
      severity: 'error',
      path: ['vantages', name, v.cloudRegion ? 'cloudRegion' : 'location'],
      at: v.cloudRegion ? 'value' : 'key',
      message: `vantage "${name}" has no location; add location: { lat, lon } or cloudRegion: <a known AWS region>`,
    });
  }
  return out;
}

function prefixKey(family: 4 | 6, bytes: Uint8Array, length: number): string {
  return `${family}/${length}/${bytes.join('.')}`;
}
