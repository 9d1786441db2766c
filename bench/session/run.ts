// Session ID vs HS256 JWT (fast-jwt, jose): verify and issue ops/s and token length, side by side.
// Run: npm run bench:session [-- --rounds 15 --ms 200]. No verify cache on any side.
import { createSecretKey, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createSigner, createVerifier } from 'fast-jwt';
import { jwtVerify, SignJWT } from 'jose';
import { Registry } from 'prom-client';
import { systemClock } from '../../src/core/index.js';
import {
  createSessionCodec,
  createSessionKeyRing,
  defineSessionFormat,
  field,
} from '../../src/session/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
const ROUNDS = Number(args.get('--rounds') ?? 15);
const WINDOW_MS = Number(args.get('--ms') ?? 200);
const TTL = 3600;

const secret = randomBytes(32);
const fields = {
  partner: field.uint({ max: 2 ** 32 - 1 }),
  createdAt: field.timestamp(),
  device: field.enum(['web', 'ios', 'android']),
  flags: field.flags(['beta', 'staff']),
  region: field.string({ maxBytes: 16 }),
  user: field.bytes({ length: 8 }),
};
const row = {
  partner: 1_234_567,
  createdAt: Date.UTC(2026, 10, 1, 9, 30),
  device: 'ios',
  flags: { beta: true, staff: false },
  region: 'eu-west-2',
  user: new Uint8Array([0x9f, 0x11, 0x42, 0x07, 0xaa, 0x3c, 0x5d, 0xe1]),
} as const;
// The same fields as JWT claims, written as compactly as JSON allows (seconds, bitmask, base64url).
const claims = {
  partner: row.partner,
  createdAt: row.createdAt / 1000,
  device: row.device,
  flags: 1,
  region: row.region,
  user: Buffer.from(row.user).toString('base64url'),
};

const keys = createSessionKeyRing({ keys: [{ id: 1, secret }], activeKeyId: 1 });
// A small revocation list that does not match, so verify pays for the lookup like in production.
const revocations = Object.freeze({ sessions: ['AAAAAAAAAAAAAAAA'], partners: ['7'] });
// As deployed: with metrics and a revocation getter.
const mac = createSessionCodec(defineSessionFormat({ fields, partnerField: 'partner' }), {
  keys,
  clock: systemClock,
  revocations: () => revocations,
  registry: new Registry(),
});
const aead = createSessionCodec(defineSessionFormat({ fields, mode: 'aead', partnerField: 'partner' }), {
  keys,
  clock: systemClock,
});
const fjSign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: TTL * 1000 });
const fjVerify = createVerifier({ key: secret, algorithms: ['HS256'], cache: false });
const joseKey = createSecretKey(secret);
const joseSign = () =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(joseKey);

interface Side {
  name: string;
  token: string;
  issue: () => unknown;
  verify: (token: string) => unknown;
  async?: boolean;
}

const sides: Side[] = [
  {
    name: 'meridian (mac)',
    token: mac.issue(row, { ttlSeconds: TTL }),
    issue: () => mac.issue(row, { ttlSeconds: TTL }),
    verify: (t) => {
      if (!mac.verify(t).ok) throw new Error('meridian verify failed');
    },
  },
  {
    name: 'meridian (aead)',
    token: aead.issue(row, { ttlSeconds: TTL }),
    issue: () => aead.issue(row, { ttlSeconds: TTL }),
    verify: (t) => {
      if (!aead.verify(t).ok) throw new Error('meridian aead verify failed');
    },
  },
  {
    name: 'fast-jwt HS256',
    token: fjSign(claims),
    issue: () => fjSign(claims),
    verify: (t) => fjVerify(t),
  },
  {
    name: 'jose HS256',
    token: await joseSign(),
    issue: joseSign,
    verify: (t) => jwtVerify(t, joseKey, { algorithms: ['HS256'] }),
    async: true,
  },
];

/**
 * Operations per second of this process's CPU time (user + system), not of wall time: the
 * machine is shared, and CPU time is what each side actually got while it ran.
 */
async function opsPerSecond(fn: () => unknown, isAsync: boolean): Promise<number> {
  let n = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < WINDOW_MS) {
    for (let i = 0; i < 500; i++) {
      if (isAsync) await fn();
      else fn();
    }
    n += 500;
  }
  const used = process.cpuUsage(cpu);
  return n / ((used.user + used.system) / 1e6);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const results = new Map(sides.map((s) => [s.name, { verify: [] as number[], issue: [] as number[] }]));

const loadBefore = loadavg();
for (const s of sides) {
  await opsPerSecond(() => s.verify(s.token), !!s.async);
  await opsPerSecond(s.issue, !!s.async);
}
for (let r = 0; r < ROUNDS; r++) {
  for (const s of r % 2 ? [...sides].reverse() : sides) {
    const entry = results.get(s.name)!;
    entry.verify.push(await opsPerSecond(() => s.verify(s.token), !!s.async));
    entry.issue.push(await opsPerSecond(s.issue, !!s.async));
  }
}
const loadAfter = loadavg();

const fj = sides[2]!;
const fjVerifyOps = median(results.get(fj.name)!.verify);
const rows = sides.map((s) => {
  const e = results.get(s.name)!;
  return {
    side: s.name,
    'verify ops/s': Math.round(median(e.verify)),
    'issue ops/s': Math.round(median(e.issue)),
    'token chars': s.token.length,
    'verify vs fast-jwt': (median(e.verify) / fjVerifyOps).toFixed(2),
    'length vs fast-jwt': `${((s.token.length / fj.token.length) * 100).toFixed(0)} %`,
  };
});
console.log(
  `node ${process.version}, ${cpus()[0]?.model} x${cpus().length}, ${ROUNDS} rounds x ${WINDOW_MS} ms, ops per CPU-second, median`,
);
console.log(
  `load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' ')}`,
);
console.table(rows);
for (const s of sides) console.log(`${s.name.padEnd(16)} ${s.token}`);
// Per-round ratios (both sides measured within the same round) are steadier than ratios of medians.
const perRound = (name: string, op: 'verify' | 'issue') =>
  results
    .get(name)!
    [op].map((x, r) => x / (results.get(fj.name)![op][r] as number))
    .sort((a, b) => a - b);
for (const s of sides.slice(0, 2)) {
  for (const op of ['verify', 'issue'] as const) {
    const rs = perRound(s.name, op);
    console.log(
      `${s.name} ${op} / fast-jwt per round: median ${median(rs).toFixed(2)}, min ${rs[0]?.toFixed(2)}, max ${rs.at(-1)?.toFixed(2)}`,
    );
  }
}
const verifyRatio = median(perRound(sides[0]!.name, 'verify'));
const lengthRatio = sides[0]!.token.length / fj.token.length;
console.log(
  `targets: verify ≥ 1.5× fast-jwt: ${verifyRatio.toFixed(2)}× ${verifyRatio >= 1.5 ? 'met' : 'NOT met'}; ` +
    `length ≤ 45 % of the JWT: ${(lengthRatio * 100).toFixed(0)} % ${lengthRatio <= 0.45 ? 'met' : 'NOT met'}`,
);
