// Where `meridian audit` asks for `/status`: every declared region, home's status endpoint,
// extra endpoints named on the command line, and every address of the discovery ranges.
import { MeridianError, parseCidr } from '../core/index.js';
import type { World } from '../world/index.js';

/** One `/status` endpoint to ask. `declared` is absent for extra and discovered endpoints. */
export interface AuditTarget {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/status`. */
  readonly url: string;
  readonly declared?: { readonly name: string; readonly kind: 'region' | 'home' };
  /** `discovered` targets that do not answer are not reported; `extra` ones are. */
  readonly origin: 'declared' | 'extra' | 'discovered';
}

export interface AuditTargetOptions {
  /** Home's status endpoint as `host:port`; `null` skips home. Default: `homeStatusEndpoint`. */
  readonly home?: string | null;
  /** Extra endpoints (`host:port`) expected to be regions even though the world omits them. */
  readonly endpoints?: readonly string[];
  /** IPv4 CIDRs to sweep for undeclared regions. */
  readonly discover?: readonly string[];
  /** Ports to sweep in the discovery ranges (default: every declared region port). */
  readonly discoverPorts?: readonly number[];
}

/** At most this many address:port pairs are swept, so a typo cannot start a scan of a /8. */
export const MAX_DISCOVERY_TARGETS = 4096;

/**
 * Home's `/status` endpoint unless told otherwise: the home region's address, one port above
 * the home region's port (the region runtime of the home region keeps the declared port).
 */
export function homeStatusEndpoint(world: World): string {
  const home = world.regions.find((r) => r.isHome)!;
  return `${home.address}:${home.port + 1}`;
}

/** The de-duplicated list of endpoints to ask, declared ones first, in world order. */
export function auditTargets(world: World, options: AuditTargetOptions = {}): AuditTarget[] {
  const out: AuditTarget[] = [];
  const seen = new Set<string>();
  const add = (t: Omit<AuditTarget, 'url'>) => {
    const key = endpointKey(t.host, t.port);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ...t, url: `http://${key}/status` });
  };
  for (const r of world.regions) {
    add({ host: r.address, port: r.port, declared: { name: r.name, kind: 'region' }, origin: 'declared' });
  }
  const home = options.home === undefined ? homeStatusEndpoint(world) : options.home;
  if (home !== null) {
    const { host, port } = parseEndpoint(home, '--home');
    add({ host, port, declared: { name: world.home, kind: 'home' }, origin: 'declared' });
  }
  for (const e of options.endpoints ?? []) add({ ...parseEndpoint(e, '--endpoint'), origin: 'extra' });
  const ports = options.discoverPorts?.length
    ? [...new Set(options.discoverPorts)]
    : [...new Set(world.regions.map((r) => r.port))];
  const hosts = (options.discover ?? []).flatMap((cidr) => hostsOf(cidr));
  if (hosts.length * ports.length > MAX_DISCOVERY_TARGETS) {
    throw new MeridianError(
      'MERIDIAN_AUDIT_DISCOVERY_TOO_LARGE',
      `--discover would ask ${hosts.length * ports.length} endpoints (${hosts.length} addresses × ${ports.length} ports); the limit is ${MAX_DISCOVERY_TARGETS}: use a longer prefix or fewer --discover-port`,
    );
  }
  for (const host of hosts) for (const port of ports) add({ host, port, origin: 'discovered' });
  return out;
}

/** `host:port` with IPv6 hosts bracketed. */
export function endpointKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses `host:port` or `http://host:port[/…]`; throws MERIDIAN_AUDIT_BAD_ENDPOINT. */
export function parseEndpoint(text: string, option: string): { host: string; port: number } {
  let url: URL | undefined;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    url = undefined;
  }
  // URL drops a port equal to the scheme's default, so 80 needs a second look.
  const port = !url
    ? Number.NaN
    : url.port !== ''
      ? Number(url.port)
      : /:80(\/|$)/.test(text)
        ? 80
        : Number.NaN;
  if (url?.protocol !== 'http:' || !Number.isInteger(port) || port < 1) {
    throw new MeridianError(
      'MERIDIAN_AUDIT_BAD_ENDPOINT',
      `${option} ${JSON.stringify(text)}: write an endpoint as host:port, e.g. 127.0.1.1:8081`,
    );
  }
  return { host: url!.hostname.replace(/^\[|\]$/g, ''), port };
}

function hostsOf(cidr: string): string[] {
  const p = parseCidr(cidr, { allowHostBits: true });
  if (!p.ok || p.value.family !== 4) {
    throw new MeridianError(
      'MERIDIAN_AUDIT_BAD_ENDPOINT',
      `--discover ${JSON.stringify(cidr)}: write an IPv4 range such as 127.0.0.0/20${p.ok ? '' : ` (${p.reason})`}`,
    );
  }
  const { bytes, length } = p.value;
  const base = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const size = 2 ** (32 - length);
  if (size > MAX_DISCOVERY_TARGETS) {
    throw new MeridianError(
      'MERIDIAN_AUDIT_DISCOVERY_TOO_LARGE',
      `--discover ${cidr} has ${size} addresses; the limit is ${MAX_DISCOVERY_TARGETS}`,
    );
  }
  const start = (base & (size === 2 ** 32 ? 0 : ~(size - 1))) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < size; i++) {
    const a = (start + i) >>> 0;
    out.push(`${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
  }
  return out;
}
