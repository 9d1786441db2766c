// bench/abuse-ingest: an anonymous POST /v1/sessions flood from one loopback address against a
// running region, and 50 real users from 50 other loopback addresses (127.0.0.2 … 127.0.0.51)
// starting one session each during the flood. Counts the users' 429s.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACME, ADMIN_TOKEN, labRegionArgs, writeLabFiles } from '../../src/region/test-support/lab-world.js';
import {
  eventually,
  type MeridianProcess,
  spawnMeridian,
} from '../../src/region/test-support/spawn-meridian.js';

const PARTNER_RPS = Number(process.env.PARTNER_RPS ?? 50);
const FLOOD_SECONDS = Number(process.env.FLOOD_SECONDS ?? 8);
const FLOOD_CONNECTIONS = Number(process.env.FLOOD_CONNECTIONS ?? 16);
const FLOOD_MAX_REQUESTS = 400_000;
const USERS = 50;
const USER_GAP_MS = 100;
const BODY = JSON.stringify({ partnerId: 'acme', device: 'bench' });

/** One POST /v1/sessions from `localAddress`; the status, or -1 for a network error. */
function startSession(target: URL, localAddress: string, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.hostname,
        port: Number(target.port),
        path: '/v1/sessions',
        method: 'POST',
        localAddress,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) },
        timeout: 5_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(-1));
    req.end(BODY);
  });
}

function tally(statuses: readonly number[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const s of statuses) t[String(s)] = (t[String(s)] ?? 0) + 1;
  return t;
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-session-flood-'));
const files = writeLabFiles(dir);
writeFileSync(
  files.world,
  readFileSync(files.world, 'utf8').replace(/ partnerRps: \d+ /, ` partnerRps: ${PARTNER_RPS} `),
);
const home = await spawnMeridian(
  [
    'home',
    files.world,
    '--sqlite',
    '--port',
    '0',
    '--data-dir',
    join(dir, 'home'),
    '--escrow',
    join(dir, 'escrow'),
  ],
  { cwd: dir, env: { MERIDIAN_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: undefined } },
);
let region: MeridianProcess | undefined;
const floodStatuses: number[] = [];
const userStatuses: number[] = [];
let loadDuring: number[] = [];
try {
  const put = await fetch(`${home.url}/v1/admin/partners/acme`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...ACME, rateLimitRps: PARTNER_RPS }),
  });
  if (put.status !== 200) throw new Error(`home refused the partner: ${put.status} ${await put.text()}`);
  region = await spawnMeridian(
    labRegionArgs({
      world: files.world,
      sessionKeys: files.sessionKeys,
      dir,
      name: 'eu-west-2',
      homeUrl: home.url,
    }),
    { cwd: dir },
  );
  const target = new URL(region.url);
  await eventually('region warm with the partner', async () =>
    (await startSession(target, '127.0.0.200', new Agent())) === 201 ? true : undefined,
  );

  // The flood: FLOOD_CONNECTIONS keep-alive connections from 127.0.0.1, bounded in time and count.
  const floodAgent = new Agent({ keepAlive: true, maxSockets: FLOOD_CONNECTIONS });
  const floodUntil = Date.now() + FLOOD_SECONDS * 1000;
  const flood = Promise.all(
    Array.from({ length: FLOOD_CONNECTIONS }, async () => {
      while (Date.now() < floodUntil && floodStatuses.length < FLOOD_MAX_REQUESTS) {
        floodStatuses.push(await startSession(target, '127.0.0.1', floodAgent));
      }
    }),
  );
  // The users: one session each from their own address, one every USER_GAP_MS after the first second.
  await new Promise((r) => setTimeout(r, 1_000));
  const users: Promise<void>[] = [];
  for (let i = 0; i < USERS; i++) {
    users.push(startSession(target, `127.0.0.${i + 2}`, new Agent()).then((s) => void userStatuses.push(s)));
    await new Promise((r) => setTimeout(r, USER_GAP_MS));
  }
  await Promise.all(users);
  loadDuring = loadavg();
  await flood;
  floodAgent.destroy();
} finally {
  await region?.stop();
  await home.stop();
}
rmSync(dir, { recursive: true, force: true });

console.log(`load average during the flood ${loadDuring.map((x) => x.toFixed(2)).join(' ')}`);
console.log(
  `flood from 127.0.0.1: ${floodStatuses.length} requests in ${FLOOD_SECONDS} s over ${FLOOD_CONNECTIONS} connections, statuses ${JSON.stringify(tally(floodStatuses))}`,
);
console.log(`partner acme: ${PARTNER_RPS} requests/s per region`);
console.log(
  `real users (127.0.0.2 … 127.0.0.${USERS + 1}), one session each: ${JSON.stringify(tally(userStatuses))}`,
);
console.log(`real users refused with 429: ${userStatuses.filter((s) => s === 429).length} of ${USERS}`);
