// Test support: a small world (home us-west-2; regions eu-west-2 and af-south-1 run links) with
// fast polls, written to `dir`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_WORLD = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 5, answers: 1, whenAllDown: home }
  api: { workload: partner-relay, policy: home }
services:
  links:
    in: all
    dependsOn: [{ service: config, kind: soft }, { service: ingest, kind: soft }]
  config: { in: home, owns: [config-db] }
  ingest: { in: home, owns: [events-db] }
  partner-relay: { in: home, owns: [partner-db] }
template:
  configSnapshot: links-config
  limits: { maxBodyBytes: 8192, partnerRps: 100000 }
  knobs: { configPollMs: 200, outboxFlushMs: 50 }
`;

/** Writes the world file and a session key ring (mode 600) into `dir`; returns their paths. */
export function writeLabFiles(dir: string): { world: string; sessionKeys: string } {
  const world = join(dir, 'meridian.yaml');
  writeFileSync(world, LAB_WORLD);
  const sessionKeys = join(dir, 'session-keys');
  writeFileSync(sessionKeys, `active 1\nkey 1 ${Buffer.alloc(32, 9).toString('base64')}\n`, { mode: 0o600 });
  return { world, sessionKeys };
}

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

export const ACME = {
  name: 'Acme',
  linkTemplate: 'https://links.example.test/l/{token}',
  allowedHosts: ['shop.example'],
  rateLimitRps: 100_000,
  active: true,
};

/**
 * `meridian region` arguments for a region of the lab world on 127.0.0.1 (port 0), with its
 * state under `dir` (regions/, escrow/, home/config-public.pem) and no drain grace.
 */
export function labRegionArgs(o: {
  world: string;
  sessionKeys: string;
  dir: string;
  name: string;
  homeUrl: string;
  dataDir?: string;
}): string[] {
  return [
    'region',
    o.world,
    '--name',
    o.name,
    '--home',
    o.homeUrl,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data-dir',
    o.dataDir ?? join(o.dir, 'regions'),
    '--escrow',
    join(o.dir, 'escrow'),
    '--config-public-key',
    join(o.dir, 'home', 'config-public.pem'),
    '--session-keys',
    o.sessionKeys,
    '--grace-ms',
    '0',
  ];
}
