// The schema of `meridian.yaml`: one zod schema, from which the TypeScript types and the
// shipped JSON Schema (schema/meridian.schema.json) are both derived.
import { z } from 'zod';

const name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'use lowercase letters, digits and "-" (like "eu-west-2")');

const coordinates = z.strictObject({
  lat: z.number().min(-90).max(90).describe('latitude in decimal degrees'),
  lon: z.number().min(-180).max(180).describe('longitude in decimal degrees'),
});

const statusCode = z.number().int().min(100).max(599);

/** `200`, or a range `"200-299"` (both ends included). */
const expectedStatus = z.union([
  statusCode,
  z.string().regex(/^[1-5]\d\d-[1-5]\d\d$/, 'a status code such as 204, or a range such as "200-299"'),
]);

const bodyMatch = z
  .strictObject({
    contains: z.string().min(1).optional().describe('the body must contain this text'),
    regex: z.string().min(1).optional().describe('the body must match this regular expression'),
  })
  .describe('what the response body must hold (the first 64 KiB are read): one of contains or regex');

const healthFields = {
  type: z
    .enum(['http', 'https', 'tcp'])
    .describe('http or https GET of `path`, or tcp: a TCP connect only (default http)'),
  path: z.string().startsWith('/').describe('HTTP path probed on each region'),
  port: z.number().int().min(1).max(65535).describe('port probed (default: the region port)'),
  host: z.string().min(1).describe('Host header of the HTTP(S) check (default: address:port)'),
  sni: z.string().min(1).describe('TLS server name of the https check (default: `host` when it is a name)'),
  caFile: z
    .string()
    .min(1)
    .describe('PEM file of the CA(s) the https check trusts (default: the system CAs)'),
  pinSha256: z
    .string()
    .regex(
      /^(?:[0-9a-fA-F]{64}|(?:[0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2})$/,
      'the SHA-256 of the certificate: 64 hex digits, colons allowed (openssl x509 -fingerprint -sha256)',
    )
    .describe('SHA-256 fingerprint of the certificate the https check must see (pins it; CA not required)'),
  expectStatus: z
    .array(expectedStatus)
    .min(1)
    .describe('HTTP statuses that count as up, e.g. [200, 204] or ["200-299"] (default [200])'),
  body: bodyMatch,
  intervalMs: z.number().int().min(50).max(600_000),
  timeoutMs: z.number().int().min(10).max(60_000),
  rise: z.number().int().min(1).max(100).describe('successes in a row before a region is up'),
  fall: z.number().int().min(1).max(100).describe('failures in a row before a region is down'),
  staleAfterMs: z
    .number()
    .int()
    .min(10)
    .max(3_600_000)
    .describe(
      "age after which a vantage's observation no longer counts (default 3 × max(intervalMs, timeoutMs) + timeoutMs)",
    ),
};

/** `majority`, `any`, `all`, or how many fresh vantages must see a region up. */
const quorum = z
  .union([z.enum(['majority', 'any', 'all']), z.number().int().min(1).max(1000)])
  .describe(
    'how many fresh vantages must see a region up: majority (a tie stays up), any, all, or a number (default majority)',
  );

const healthSettings = z.strictObject({
  type: healthFields.type.optional(),
  path: healthFields.path.default('/healthz'),
  port: healthFields.port.optional(),
  host: healthFields.host.optional(),
  sni: healthFields.sni.optional(),
  caFile: healthFields.caFile.optional(),
  pinSha256: healthFields.pinSha256.optional(),
  expectStatus: healthFields.expectStatus.optional(),
  body: healthFields.body.optional(),
  intervalMs: healthFields.intervalMs.default(500),
  timeoutMs: healthFields.timeoutMs.default(300),
  rise: healthFields.rise.default(2),
  fall: healthFields.fall.default(2),
  staleAfterMs: healthFields.staleAfterMs.optional(),
  quorum: quorum.optional(),
});

// Without defaults: a region that overrides one setting inherits the others from `health`.
const healthOverride = z.strictObject(healthFields).partial();

const knobValue = z.union([z.string(), z.number(), z.boolean()]);

const regionOverrides = z.strictObject({
  build: z.string().optional().describe('this region runs another build (a canary)'),
  services: z
    .record(z.string(), z.string())
    .optional()
    .describe('service versions that differ here, by service name'),
  configSnapshot: z.string().optional(),
  limits: z.record(z.string(), z.number()).optional(),
  knobs: z.record(z.string(), knobValue).optional(),
});

export const regionSchema = z.strictObject({
  cidr: z.string().describe('the region VPC CIDR, e.g. 10.20.0.0/16; pairwise disjoint across regions'),
  location: coordinates
    .optional()
    .describe(
      'where the region is; optional when `cloudRegion` (or the region name) is a known cloud region',
    ),
  cloudRegion: z
    .string()
    .optional()
    .describe('cloud region name with built-in coordinates (defaults to the region key)'),
  address: z.string().describe('IPv4 address clients are sent to (the lab uses 127.0.N.1)'),
  address6: z.string().optional().describe('IPv6 address, answered for AAAA queries'),
  port: z.number().int().min(1).max(65535).default(8080).describe('port of the regional HTTP endpoint'),
  health: healthOverride.optional().describe('per-region overrides of the world health settings'),
  overrides: regionOverrides
    .optional()
    .describe(
      'declared per-region deviations from the region template; `meridian audit` reports them as intended',
    ),
});

const rollout = z.strictObject({
  region: z.string(),
  percent: z
    .number()
    .describe('share of clients given the record set that includes the region, in steps of 0.01'),
  sticky: z.boolean().default(true).describe('hash the client subnet so each client keeps its side'),
});

export const hostnameSchema = z.strictObject({
  workload: z.string().describe('the service this hostname serves'),
  policy: z.enum(['latency', 'failover', 'home']).default('latency'),
  ttlSeconds: z.number().int().min(0).max(86_400).default(30),
  answers: z.number().int().min(1).max(16).default(1).describe('how many regions to return'),
  whenAllDown: z
    .enum(['home', 'all', 'none'])
    .default('home')
    .describe('what to answer when every candidate is down'),
  order: z
    .array(z.string())
    .optional()
    .describe('region order for policy: failover (default: the order of `regions`)'),
  rollout: rollout.optional(),
});

const dependency = z.strictObject({
  service: z.string(),
  kind: z.enum(['hard', 'soft']),
});

export const serviceSchema = z.strictObject({
  in: z
    .union([z.literal('all'), z.literal('home'), z.array(z.string()).min(1)])
    .describe('where the service runs: every region, home only, or a list of regions'),
  dependsOn: z.array(dependency).default([]),
  owns: z.array(z.string()).default([]).describe('datastores this service alone may connect to'),
  version: z.string().optional().describe('the build the region template expects'),
});

const network = z.strictObject({
  name,
  cidr: z.string(),
  location: coordinates.optional(),
  cloudRegion: z
    .string()
    .optional()
    .describe('place the network at a known cloud region instead of coordinates'),
});

const vantageLab = z.strictObject({
  address: z
    .string()
    .describe("loopback IPv4 the lab's prober for this vantage probes from (e.g. 127.0.200.1)"),
});

export const vantageSchema = z.strictObject({
  location: coordinates.optional().describe('where the vantage probes from'),
  cloudRegion: z
    .string()
    .optional()
    .describe('place the vantage at a known cloud region instead of coordinates'),
  lab: vantageLab.optional().describe('only `meridian up` reads this'),
});

const nameserver = z.strictObject({
  name: z.string().describe('relative (ns1) or absolute (ns1.example.test.) host name'),
  address: z.string(),
  address6: z.string().optional(),
});

const dns = z.strictObject({
  nameservers: z
    .array(nameserver)
    .min(1)
    .default([{ name: 'ns1', address: '127.0.0.1' }]),
  hostmaster: z.string().default('hostmaster'),
  serial: z
    .number()
    .int()
    .min(0)
    .max(4_294_967_295)
    .optional()
    .describe('SOA serial (default: derived from the world file)'),
  ttlSeconds: z.number().int().min(0).max(86_400).default(300).describe('TTL of SOA and NS records'),
  negativeTtlSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(60)
    .describe('SOA minimum: how long resolvers cache NXDOMAIN/NODATA'),
});

const accessRttMs = z
  .number()
  .min(0)
  .max(1000)
  .describe('round trip of the users’ own access network (last mile), added to every path from them');

const labUsers = z.strictObject({
  rps: z.number().positive().max(10_000).describe('journeys started per second by this population'),
  accessRttMs: accessRttMs.optional(),
});

/** Default last-mile round trip of a lab user: a good fixed line (see docs/decisions/0012). */
export const DEFAULT_ACCESS_RTT_MS = 10;

const lab = z.strictObject({
  accessRttMs: accessRttMs.default(DEFAULT_ACCESS_RTT_MS),
  users: z.record(z.string(), labUsers).default({}).describe('user populations keyed by network name'),
  resolverOrder: z
    .enum(['keep', 'rotate'])
    .default('keep')
    .describe(
      "how the users' resolvers order an RRset: as the name server sent it, or rotated per reply as unbound does by default (rrset-roundrobin)",
    ),
});

const template = z.strictObject({
  build: z
    .string()
    .optional()
    .describe('the Meridian build every region runs (default: the version of the auditing `meridian`)'),
  configSnapshot: z.string().default('config').describe('name of the config snapshot every region loads'),
  limits: z.record(z.string(), z.number()).default({}),
  knobs: z.record(z.string(), knobValue).default({}),
});

const domainName = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(\*\.)?([a-z0-9_]([a-z0-9_-]*[a-z0-9])?\.)*[a-z0-9_]([a-z0-9_-]*[a-z0-9])?\.?$/i,
    'a DNS name such as mail.example.test',
  );

export const staticRecordSetSchema = z.strictObject({
  ttlSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .describe('TTL of every record here (default dns.ttlSeconds)'),
  A: z.array(z.string()).min(1).optional(),
  AAAA: z.array(z.string()).min(1).optional(),
  CNAME: domainName.optional().describe('an alias: no other data may sit at this name'),
  TXT: z
    .array(z.union([z.string().max(4000), z.array(z.string().max(255)).min(1)]))
    .min(1)
    .optional()
    .describe('each entry one TXT record; a string longer than 255 is split into 255-byte strings'),
  MX: z
    .array(z.strictObject({ preference: z.number().int().min(0).max(65_535), exchange: domainName }))
    .min(1)
    .optional(),
  CAA: z
    .array(
      z.strictObject({
        flags: z.number().int().min(0).max(255).default(0),
        tag: z.string(),
        value: z.string(),
      }),
    )
    .min(1)
    .optional()
    .describe('certificate authority authorisation (RFC 8659): issue, issuewild or iodef'),
  SRV: z
    .array(
      z.strictObject({
        priority: z.number().int().min(0).max(65_535),
        weight: z.number().int().min(0).max(65_535),
        port: z.number().int().min(0).max(65_535),
        target: domainName,
      }),
    )
    .min(1)
    .optional(),
  NS: z
    .array(domainName)
    .min(1)
    .optional()
    .describe('a delegation of this name to other name servers (add glue below it)'),
  ALIAS: z
    .string()
    .optional()
    .describe("apex only: answer A/AAAA with a steered hostname's addresses (e.g. links)"),
});

export const worldSchema = z.strictObject({
  zone: z
    .string()
    .regex(
      /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?\.?$/i,
      'a DNS zone such as example.test',
    )
    .describe('the DNS zone the GSLB is authoritative for'),
  home: z.string().describe('the region that runs everything that is not multi-region'),
  regions: z.record(name, regionSchema),
  hostnames: z.record(z.string(), hostnameSchema).default({}),
  records: z
    .record(z.string(), staticRecordSetSchema)
    .default({})
    .describe('static records by name (relative, absolute, or @ for the apex)'),
  services: z.record(name, serviceSchema).default({}),
  health: healthSettings.default({ path: '/healthz', intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 }),
  networks: z.array(network).default([]),
  vantages: z
    .record(name, vantageSchema)
    .default({})
    .describe('points the fleet probes regions from (`meridian probe --vantage NAME`)'),
  latency: z
    .record(z.string(), z.record(z.string(), z.number().nonnegative()))
    .optional()
    .describe('measured RTT in ms from a place (network name) to a region'),
  dns: dns.default({
    nameservers: [{ name: 'ns1', address: '127.0.0.1' }],
    hostmaster: 'hostmaster',
    ttlSeconds: 300,
    negativeTtlSeconds: 60,
  }),
  template: template.optional().describe('what every region is (the region module); see `meridian audit`'),
  lab: lab.optional().describe('only `meridian up` reads this'),
});

/** The world file as validated by the schema, before references are resolved. */
export type WorldInput = z.infer<typeof worldSchema>;
/** The health block as written (check, schedule, thresholds, fleet settings), defaults applied. */
export type HealthInput = z.infer<typeof healthSettings>;
/** A region's probe schedule and thresholds (what `/status` reports and `audit` compares). */
export type HealthSettings = Pick<HealthInput, 'path' | 'intervalMs' | 'timeoutMs' | 'rise' | 'fall'>;
export type Quorum = z.infer<typeof quorum>;
export type VantageInput = z.infer<typeof vantageSchema>;
export type RegionOverrides = z.infer<typeof regionOverrides>;
export type TemplateInput = z.infer<typeof template>;
export type StaticRecordSetInput = z.infer<typeof staticRecordSetSchema>;
