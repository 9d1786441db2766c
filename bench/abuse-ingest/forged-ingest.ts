// bench/abuse-ingest: how many forged events does a running `meridian home` store? Sends
// 8 × 1,000 forged events to POST /v1/ingest (no credential, a guessed bearer token, a random
// key, a stale or altered copy of a signed request, another region's key) and one 31 MB event,
// then counts what home's database holds, with home's RSS before and at its peak.
//
// The signing below follows docs/decisions/0015-request-signatures.md on purpose (not the
// source), so the script runs unchanged against a home from before that decision.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ADMIN_TOKEN, writeLabFiles } from '../../src/region/test-support/lab-world.js';
import { spawnMeridian } from '../../src/region/test-support/spawn-meridian.js';

const EVENTS_PER_ATTACK = 1_000;
const dir = mkdtempSync(join(tmpdir(), 'meridian-abuse-ingest-'));
const files = writeLabFiles(dir);
const homeDir = join(dir, 'home');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

function batch(prefix: string, region: string, n: number, payload: unknown = { forged: true }): string {
  const events = Array.from({ length: n }, (_, i) => ({
    key: `${prefix}-${i}`,
    topic: 'link-created',
    enqueuedAtMs: Date.now(),
    payload,
  }));
  return JSON.stringify({ region, events });
}

const sha256Hex = (body: string) => createHash('sha256').update(body).digest('hex');

/** The decision-0015 headers for `body`, signed with `key` as `sender` at `timestampMs`. */
function signed(key: Buffer, sender: string, body: string, timestampMs = Date.now()): Record<string, string> {
  const contentSha256 = sha256Hex(body);
  const text = [
    'MERIDIAN-HMAC-SHA256-V1',
    sender,
    'POST',
    '/v1/ingest',
    String(timestampMs),
    contentSha256,
  ].join('\n');
  return {
    'meridian-sender': sender,
    'meridian-timestamp': String(timestampMs),
    'meridian-content-sha256': contentSha256,
    'meridian-signature': createHmac('sha256', key).update(text).digest('hex'),
  };
}

/** A real region key when home wrote one (decision 0015), else a random one. */
function regionKey(name: string): { key: Buffer; real: boolean } {
  const path = join(homeDir, 'region-keys', `${name}.key`);
  return existsSync(path)
    ? { key: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url'), real: true }
    : { key: randomBytes(32), real: false };
}

const home = await spawnMeridian(
  ['home', files.world, '--sqlite', '--port', '0', '--data-dir', homeDir, '--escrow', join(dir, 'escrow')],
  { cwd: dir, env: { MERIDIAN_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: undefined } },
);
const pid = home.child.pid!;
const ingestUrl = `${home.url}/v1/ingest`;
const rssBefore = rssMb(pid);
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, rssMb(pid));
}, 20);

async function post(body: string, headers: Record<string, string>): Promise<string> {
  try {
    const res = await fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    return String(res.status);
  } catch (err) {
    return `error ${(err as Error).cause ? String((err as Error & { cause: { code?: string } }).cause.code) : (err as Error).message}`;
  }
}

const eu = regionKey('eu-west-2');
const af = regionKey('af-south-1');
const rows: { attack: string; events: number; status: string }[] = [];
const attack = async (name: string, events: number, body: string, headers: Record<string, string>) => {
  rows.push({ attack: name, events, status: await post(body, headers) });
};
const n = EVENTS_PER_ATTACK;
await attack('no credential', n, batch('forged-none', 'eu-west-2', n), {});
await attack('guessed bearer token', n, batch('forged-bearer', 'eu-west-2', n), {
  authorization: 'Bearer 0123456789abcdef0123456789abcdef',
});
{
  const body = batch('forged-randomkey', 'eu-west-2', n);
  await attack('signed with a random key', n, body, signed(randomBytes(32), 'region:eu-west-2', body));
}
{
  const body = batch('forged-nosig', 'eu-west-2', n);
  await attack('signature headers, empty signature', n, body, {
    ...signed(randomBytes(32), 'region:eu-west-2', body),
    'meridian-signature': '',
  });
}
{
  const body = batch('forged-stale', 'eu-west-2', n);
  await attack(
    'stale copy of a signed request (10 min old)',
    n,
    body,
    signed(eu.key, 'region:eu-west-2', body, Date.now() - 600_000),
  );
}
{
  const original = batch('control-altered', 'eu-west-2', 1);
  const body = batch('forged-altered', 'eu-west-2', n);
  await attack('signed headers of another body', n, body, signed(eu.key, 'region:eu-west-2', original));
}
{
  const body = batch('forged-otherregion', 'eu-west-2', n);
  await attack(
    "another region's key (af-south-1 claims eu-west-2)",
    n,
    body,
    signed(af.key, 'region:af-south-1', body),
  );
}
{
  const body = batch('forged-sender', 'eu-west-2', n);
  await attack(
    'sender that is no region (partner:acme)',
    n,
    body,
    signed(randomBytes(32), 'partner:acme', body),
  );
}
{
  const big = batch('forged-big', 'eu-west-2', 1, { blob: 'x'.repeat(31 * 1024 * 1024) });
  await attack('one 31 MB event, no credential', 1, big, {});
}
let control = 'skipped (no region key: home before decision 0015)';
if (eu.real) {
  const body = batch('control-signed', 'eu-west-2', 10);
  control = `10 events signed with eu-west-2's key: HTTP ${await post(body, signed(eu.key, 'region:eu-west-2', body))}`;
}
clearInterval(sampler);
const rssAfter = rssMb(pid);
await home.stop();

const db = new Database(join(homeDir, 'home.db'), { readonly: true });
const count = (prefix: string) =>
  (db.prepare("SELECT count(*) AS n FROM ingest_events WHERE key LIKE ? || '%'").get(prefix) as { n: number })
    .n;
const forgedSent = rows.reduce((s, r) => s + r.events, 0);
const forgedStored = count('forged-');
const controlStored = count('control-signed');
db.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log('| attack | events | HTTP |');
console.log('|---|---:|---|');
for (const r of rows) console.log(`| ${r.attack} | ${r.events} | ${r.status} |`);
console.log(`forged events sent ${forgedSent}, stored ${forgedStored}`);
console.log(`control: ${control}; stored ${controlStored}`);
console.log(`home RSS: ${rssBefore} MB before, peak ${rssPeak} MB, ${rssAfter} MB after`);
