// The what-if: which regions a client would get for a hostname, with every stage's input and output.
import { parseAddress, parseCidr } from '../core/index.js';
import { ClientClassification } from './client-classification.js';
import { rolloutBucket } from './rollout-bucket.js';
import { answerScope, type StageTrace, type SteeringSnapshot } from './steering-snapshot.js';

/** A client given as an address, a CIDR, or a world network name. */
export interface ClientSpec {
  readonly text: string;
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefixLength: number;
}

export interface Explanation {
  readonly hostname: string;
  readonly client: string;
  readonly locatedAs: string;
  readonly location: { lat: number; lon: number };
  /** ECS scope prefix length the answer would carry. */
  readonly scopePrefixLength: number;
  readonly rollout: {
    region: string;
    percent: number;
    sticky: boolean;
    bucket: number | null;
    inRollout: boolean;
  } | null;
  readonly stages: readonly StageTrace[];
  readonly regions: readonly string[];
  readonly addresses: readonly string[];
  readonly allDown: boolean;
  readonly ttlSeconds: number;
  readonly healthVersion: number;
}

/** Parses `IP`, `IP/len` or a network name of the world; null with a reason when it is none. */
export function parseClientSpec(
  steering: SteeringSnapshot,
  text: string,
): { ok: true; value: ClientSpec } | { ok: false; reason: string } {
  const net = steering.world.networks.find((n) => n.name === text);
  if (net)
    return {
      ok: true,
      value: { text, family: net.cidr.family, bytes: net.cidr.bytes, prefixLength: net.cidr.length },
    };
  if (text.includes('/')) {
    const c = parseCidr(text, { allowHostBits: true });
    if (!c.ok) return { ok: false, reason: c.reason };
    return {
      ok: true,
      value: { text, family: c.value.family, bytes: c.value.bytes, prefixLength: c.value.length },
    };
  }
  const a = parseAddress(text);
  if (!a.ok) {
    const names = steering.world.networks.map((n) => n.name).join(', ');
    return {
      ok: false,
      reason: `${a.reason}, a CIDR, or a network of the world file (${names || 'none declared'})`,
    };
  }
  return {
    ok: true,
    value: {
      text,
      family: a.value.family,
      bytes: a.value.bytes,
      prefixLength: a.value.family === 4 ? 32 : 128,
    },
  };
}

/**
 * Explains the answer for `name` (relative, or absolute in the zone) to `client`. `coin` is the
 * side assumed for a non-sticky rollout. Returns null when the name is not a hostname of the world.
 */
export function explainQuery(
  steering: SteeringSnapshot,
  name: string,
  client: ClientSpec,
  coin = false,
): Explanation | null {
  const world = steering.world;
  const lower = name.toLowerCase().replace(/\.$/, '');
  const hostIndex = world.hostnames.findIndex((h) => h.name === lower || h.fqdn === lower);
  const hostname = world.hostnames[hostIndex];
  const compiled = steering.hostnames[hostIndex];
  if (!hostname || !compiled) return null;
  const located = new ClientClassification();
  const classId = steering.locator.locate(client.family, client.bytes, client.prefixLength, located);
  const scope = located.scope;
  const cls = steering.locator.classes[classId]!;
  let bucket: number | null = null;
  let inRollout = false;
  if (hostname.rollout) {
    if (hostname.rollout.sticky) {
      bucket = rolloutBucket(client.family, client.bytes, client.prefixLength, compiled.seed);
      inRollout = bucket < hostname.rollout.basisPoints;
    } else {
      inRollout = coin;
    }
  }
  const { decision, stages } = steering.trace(hostIndex, classId, inRollout);
  return {
    hostname: hostname.fqdn,
    client: client.text,
    locatedAs: cls.key,
    location: { lat: cls.location.lat, lon: cls.location.lon },
    scopePrefixLength: answerScope(compiled, client.family, scope),
    rollout: hostname.rollout
      ? {
          region: hostname.rollout.region,
          percent: hostname.rollout.basisPoints / 100,
          sticky: hostname.rollout.sticky,
          bucket,
          inRollout,
        }
      : null,
    stages,
    regions: decision.regions.map((i) => world.regions[i]?.name ?? `#${i}`),
    addresses: decision.regions.map((i) => world.regions[i]?.address ?? '?'),
    allDown: decision.allDown,
    ttlSeconds: decision.ttlSeconds,
    healthVersion: steering.health.version,
  };
}
