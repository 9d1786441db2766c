// Ad-hoc: where do Meridian-mode stalls come from? Paced journeys in 1 s slices, max per slice.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACME, ADMIN_TOKEN, labRegionArgs, writeLabFiles } from '../../src/region/test-support/lab-world.js';
import { eventually, spawnMeridian } from '../../src/region/test-support/spawn-meridian.js';
import { pacedJourneys } from './paced-journeys.js';

const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const files = writeLabFiles(dir);
writeFileSync(
  files.world,
  readFileSync(files.world, 'utf8').replace(/ partnerRps: \d+ /, ' clientSharePercent: 100 '),
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
await fetch(`${home.url}/v1/admin/partners/acme`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
  body: JSON.stringify({ ...ACME, rateLimitRps: 1_000_000 }),
});
const sync = process.env.SYNC ?? 'full';
const r = await spawnMeridian(
  [
    ...labRegionArgs({
      world: files.world,
      sessionKeys: files.sessionKeys,
      dir,
      name: 'eu-west-2',
      homeUrl: home.url,
      dataDir: join(dir, 'r'),
    }),
    '--outbox-sync',
    sync,
  ],
  { cwd: dir },
);
await eventually('healthy', async () =>
  (await fetch(`${r.url}/healthz`)).status === 200 ? true : undefined,
);
const out: string[] = [];
for (let i = 0; i < Number(process.env.SLICES ?? 10); i++) {
  const x = await pacedJourneys(r.url, Number(process.env.JPS ?? 500), 1);
  out.push(`${x.p50}/${x.p99}/${x.max}`);
}
console.log(`sync=${sync} p50/p99/max per 1s slice:`, out.join('  '));
await r.stop('SIGKILL');
await home.stop('SIGKILL');
