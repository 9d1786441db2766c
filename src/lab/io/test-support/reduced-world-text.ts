// A reduced world for tests with the real programs: home us-west-2 plus the given regions,
// users in London and Cape Town, fast health (250 ms) and config polls; the links workload, or
// the profiles one (one answer, so that each user goes to its nearest region).

/** The world file's text with these region lines (`name: { cidr, address, port }`). */
export function reducedWorldText(
  regions: readonly string[],
  o: { healthIntervalMs?: number; workload?: 'links' | 'profiles' } = {},
): string {
  const served =
    o.workload === 'profiles'
      ? `hostnames:
  profiles: { workload: profiles, policy: latency, ttlSeconds: 1, answers: 1, whenAllDown: home }
services:
  profiles:
    in: all
    dependsOn: [{ service: config, kind: soft }, { service: ingest, kind: soft }]
  config: { in: home, owns: [config-db] }
  ingest: { in: home, owns: [events-db] }
`
      : `hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 1, answers: 2, whenAllDown: home }
  api: { workload: partner-relay, policy: home }
services:
  links:
    in: all
    dependsOn: [{ service: config, kind: soft }, { service: ingest, kind: soft }]
  config: { in: home, owns: [config-db] }
  ingest: { in: home, owns: [events-db] }
  partner-relay: { in: home, owns: [partner-db] }
`;
  return `zone: example.test
home: us-west-2
regions:
${regions.map((r) => `  ${r}`).join('\n')}
${served}health: { path: /healthz, intervalMs: ${o.healthIntervalMs ?? 250}, timeoutMs: 150, rise: 2, fall: 2 }
networks:
  - { name: london, cidr: 81.0.0.0/8, cloudRegion: eu-west-2 }
  - { name: cape-town, cidr: 41.0.0.0/8, cloudRegion: af-south-1 }
template:
  configSnapshot: config
  limits: { maxBodyBytes: 16384, partnerRps: 100000 }
  knobs: { configPollMs: 200, outboxFlushMs: 50 }
lab:
  users:
    london: { rps: 5 }
    cape-town: { rps: 5 }
`;
}
