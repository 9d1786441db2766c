// The README's workload is the one this test runs (test-support/notes-workload.ts, verbatim),
// through the real runtimes: home on SQLite and a region on loopback, port 0. A second
// workload on the same runtimes is what shows they are workload-agnostic.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../config/index.js';
import { deriveSenderKey } from '../core/index.js';
import { type RunningHome, startHome } from '../home/index.js';
import { type RunningRegion, startRegion } from '../region/index.js';
import { ADMIN_TOKEN, writeLabFiles } from '../region/test-support/lab-world.js';
import { parseSessionKeys } from '../session/index.js';
import { loadWorld } from '../world/index.js';
import { notesWorkload } from './test-support/notes-workload.js';

const SECRET = 'notes-workload-request-secret-0123456789';

describe('the workload README example', () => {
  let dir: string;
  let home: RunningHome;
  let region: RunningRegion<{ banner: string }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-notes-'));
    const world = loadWorld(writeLabFiles(dir).world);
    const keys = generateSigningKeys();
    home = await startHome({
      workload: notesWorkload,
      port: 0,
      dataDir: join(dir, 'home'),
      escrowDir: join(dir, 'escrow'),
      signingKey: keys.privateKey,
      adminToken: ADMIN_TOKEN,
      requestSecret: SECRET,
      world,
      buildVersion: 'test',
    });
    region = await startRegion({
      workload: notesWorkload,
      world,
      name: 'eu-west-2',
      homeUrl: home.url,
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      dataDir: join(dir, 'region'),
      configPublicKey: keys.publicKey,
      regionKey: deriveSenderKey(SECRET, 'region:eu-west-2'),
      sessionKeys: parseSessionKeys(`active 1\nkey 1 ${Buffer.alloc(32, 7).toString('base64')}`, 'test'),
    });
  });
  afterAll(async () => {
    await region?.stop();
    await home?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the code the test runs', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const code = readFileSync(new URL('./test-support/notes-workload.ts', import.meta.url), 'utf8');
    expect(readme).toContain(`<!-- example: notes-workload -->\n\`\`\`ts\n${code}\`\`\``);
  });

  it('serves config from home in the region, and relays soft writes home exactly once', async () => {
    await region.config!.pollNow();
    const banner = () => region.app.inject({ method: 'GET', url: '/v1/banner' });
    expect((await banner()).json()).toEqual({ banner: 'hello' });
    const changed = await home.app.inject({
      method: 'PUT',
      url: '/v1/admin/banner',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { banner: 'hi' },
    });
    expect(changed.statusCode).toBe(200);
    await region.config!.pollNow();
    expect((await banner()).json()).toEqual({ banner: 'hi' });

    for (const id of ['n1', 'n2', 'n1']) {
      const res = await region.app.inject({ method: 'POST', url: '/v1/notes', payload: { id } });
      expect(res.statusCode).toBe(201);
    }
    const deadline = Date.now() + 10_000;
    let stats: unknown;
    while (Date.now() < deadline) {
      stats = (await home.app.inject({ method: 'GET', url: '/v1/stats' })).json();
      if ((stats as { notes: number }).notes >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Two distinct keys: the duplicate n1 is one event, folded once.
    expect(stats).toEqual({ notes: 2 });
    const status = (await region.app.inject({ method: 'GET', url: '/status' })).json();
    expect(status.workload).toBe('notes');
  });
});
