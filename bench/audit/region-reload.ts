// Issue 7, "Measure": the time from writing a world file with one more region to that region
// serving traffic, by reload, while the world runs (no restart). `meridian up`'s code runs in
// this process (startMeridianUp, the same as the CLI) so the users' records can be timed.
// Each trial: write the file with af-south-1 added; time (a) the lab applied the reload (the
// region process ready, its links up, the GSLB told), (b) the first GSLB answer naming it for a
// Cape Town subnet, (c) the first user request it served; then remove it again.
// Run: npm run bench:audit-reload   (after npm run build)
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedLabOptions, startMeridianUp } from '../../src/lab/io/meridian-up.js';
import { sampleGslbAnswers } from '../../src/lab/io/sample-gslb-answers.js';
import type { WorldReloadOutcome } from '../../src/lab/io/world-file-reloader.js';
import type { RequestRecord } from '../../src/lab/request-record.js';
import { ADDR, capeTownSubnets, REGION, worldText } from './reduced-world.js';

const TRIALS = Number(process.env.TRIALS ?? 3);

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-reload-bench-'));
const file = join(dir, 'world.yaml');
const base = [REGION.home, REGION.eu];
writeFileSync(file, worldText(base));
const records: RequestRecord[] = [];
const reloads: WorldReloadOutcome[] = [];
console.log(`load before: ${execSync('uptime').toString().trim()}`);
const up = await startMeridianUp({
  worldFile: file,
  ...isolatedLabOptions(dir),
  onRecord: (r) => records.push(r),
  onReload: (o) => reloads.push(o),
});
const rows: { trial: number; appliedMs: number; dnsMs: number; servedMs: number }[] = [];
try {
  await new Promise((r) => setTimeout(r, 3000)); // users running on the 2-region world
  const probe = capeTownSubnets(4);
  for (let trial = 1; trial <= TRIALS; trial++) {
    const nReloads = reloads.length;
    const t0 = Date.now();
    writeFileSync(file, worldText([...base, REGION.af]));
    const dnsAt = until(
      'a GSLB answer naming af-south-1',
      async () => {
        const s = await sampleGslbAnswers({
          host: '127.0.0.1',
          port: up.dnsPort(),
          hostname: 'links.example.test',
          subnets: probe,
        });
        return (s.first[ADDR.af] ?? 0) > 0 ? Date.now() : undefined;
      },
      30_000,
    );
    const servedAt = until(
      'a request served by af-south-1',
      () => records.find((r) => r.ok && r.region === 'af-south-1' && r.atMs >= t0)?.atMs,
      30_000,
    );
    const applied = await until(
      'the reload',
      () => reloads.slice(nReloads).find((r) => r.kind !== 'unchanged'),
      30_000,
    );
    if (applied.kind !== 'applied') throw new Error(`reload ${applied.kind}: ${JSON.stringify(applied)}`);
    const row = {
      trial,
      appliedMs: applied.atMs - t0,
      dnsMs: (await dnsAt) - t0,
      servedMs: (await servedAt) - t0,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
    // Remove it again and let the users settle on the 2-region world.
    writeFileSync(file, worldText(base));
    await until('the removal', () => (up.world.regions.length === 2 ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 3000));
  }
} finally {
  await up.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load after: ${execSync('uptime').toString().trim()}`);
console.log(
  '\n| trial | reload applied (region ready, GSLB told) | first GSLB answer naming it | first request it served |',
);
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.trial} | ${r.appliedMs} ms | ${r.dnsMs} ms | ${r.servedMs} ms |`);
const max = Math.max(...rows.map((r) => r.servedMs));
console.log(
  `\nworst time to first served request: ${max} ms (target ≤ 10 000 ms): ${max <= 10_000 ? 'met' : 'NOT met'}`,
);
