// End to end with real processes (the built CLI): one home, two regions and a baseline region
// on loopback. Covers the "done when" list in order; each step builds on the last.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSigningKeys,
  pointerKey,
  signSnapshot,
  snapshotKey,
  toPrivateKey,
} from '../../config/index.js';
import { ACME, ADMIN_TOKEN, labRegionArgs, writeLabFiles } from '../test-support/lab-world.js';
import { eventually, type MeridianProcess, spawnMeridian } from '../test-support/spawn-meridian.js';

const CONFIG = 'links-config';

describe('links across regions, with home coming and going', () => {
  let dir: string;
  let files: { world: string; sessionKeys: string };
  let home: MeridianProcess | undefined;
  let homePort = 0;
  const regions: MeridianProcess[] = [];
  let baseline: MeridianProcess | undefined;
  /** Events the regions have accepted (every 201 session or link), to check exactly-once. */
  let emitted = 0;
  const linksByRegion: Record<string, number> = {};

  const startHome = async () => {
    home = await spawnMeridian(
      [
        'home',
        files.world,
        '--sqlite',
        '--port',
        String(homePort),
        '--data-dir',
        join(dir, 'home'),
        '--escrow',
        join(dir, 'escrow'),
        '--session-keys',
        files.sessionKeys,
      ],
      { cwd: dir, env: { MERIDIAN_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: undefined } },
    );
    homePort = Number(new URL(home.url).port);
  };
  const startRegion = (name: string, extra: string[] = []) =>
    spawnMeridian(
      [
        ...labRegionArgs({
          world: files.world,
          sessionKeys: files.sessionKeys,
          dir,
          name: name,
          homeUrl: home!.url,
        }),
        ...extra,
      ],
      { cwd: dir },
    );
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${home!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const post = (url: string, path: string, body: unknown, session?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(session ? { authorization: `Session ${session}` } : {}),
      },
      body: JSON.stringify(body),
    });
  const newSession = async (url: string): Promise<string> => {
    const res = await post(url, '/v1/sessions', { partnerId: 'acme', device: 'ios' });
    expect(res.status).toBe(201);
    emitted++;
    return ((await res.json()) as { sessionId: string }).sessionId;
  };
  const newLink = async (url: string, session: string): Promise<string> => {
    const res = await post(url, '/v1/links', { destination: 'https://shop.example/p/1' }, session);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { link: string; region: string };
    emitted++;
    linksByRegion[body.region] = (linksByRegion[body.region] ?? 0) + 1;
    return body.link;
  };
  const status = async (url: string) =>
    (await (await fetch(`${url}/status`)).json()) as { config: { version: number | null } };
  const metric = async (url: string, name: string): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  };
  const ingestCounts = () => {
    const db = new Database(join(dir, 'home', 'home.db'), { readonly: true });
    try {
      return db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT key) AS d FROM ingest_events').get() as {
        n: number;
        d: number;
      };
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-links-e2e-'));
    files = writeLabFiles(dir);
    await startHome();
    expect((await admin('PUT', '/v1/admin/partners/acme', ACME)).status).toBe(200);
    regions.push(await startRegion('eu-west-2'), await startRegion('af-south-1'));
    for (const r of regions) {
      await eventually(`${r.url} healthy`, async () =>
        (await fetch(`${r.url}/healthz`)).status === 200 ? true : undefined,
      );
    }
  });

  afterAll(async () => {
    await Promise.all([...regions, home, baseline].map((p) => p?.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a session issued in one region in the other, and redirects anywhere', async () => {
    const [a, b] = regions as [MeridianProcess, MeridianProcess];
    const session = await newSession(a.url);
    const res = await post(b.url, '/v1/links', { destination: 'https://shop.example/p/1' }, session);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-meridian-region')).toBe('af-south-1');
    const { link, region } = (await res.json()) as { link: string; region: string };
    emitted++;
    linksByRegion[region] = (linksByRegion[region] ?? 0) + 1;
    expect(region).toBe('af-south-1');
    const path = new URL(link).pathname;
    const redirect = await fetch(`${a.url}${path}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://shop.example/p/1');
    expect(redirect.headers.get('x-meridian-region')).toBe('eu-west-2');
  });

  it("stores the regions' signed batches and none of the forged ones", async () => {
    const forged = (prefix: string, payload: unknown = { forged: true }, n = 100) =>
      JSON.stringify({
        region: 'eu-west-2',
        events: Array.from({ length: n }, (_, i) => ({
          key: `${prefix}-${i}`,
          topic: 'link-created',
          enqueuedAtMs: 1,
          payload,
        })),
      });
    const send = async (body: string, headers: Record<string, string> = {}) =>
      (
        await fetch(`${home!.url}/v1/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        })
      ).status;
    const randomKeyBody = forged('forged-randomkey');
    const statuses = [
      await send(forged('forged-none')),
      await send(forged('forged-bearer'), { authorization: 'Bearer 0123456789abcdef0123456789abcdef' }),
      await send(randomKeyBody, {
        'meridian-sender': 'region:eu-west-2',
        'meridian-timestamp': String(Date.now()),
        'meridian-content-sha256': createHash('sha256').update(randomKeyBody).digest('hex'),
        'meridian-signature': randomBytes(32).toString('hex'),
      }),
      await send(forged('forged-big', 'x'.repeat(20 * 1024 * 1024), 1)),
    ];
    expect(statuses).toEqual([401, 401, 401, 401]);
    // The regions' own batches still arrive, signed with the keys home wrote for them.
    await newLink(regions[1]!.url, await newSession(regions[0]!.url));
    await eventually("the regions' events at home", () => (ingestCounts().n >= emitted ? true : undefined));
    const db = new Database(join(dir, 'home', 'home.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM ingest_events WHERE key LIKE 'forged-%'").get()).toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }
  });

  it('answers every request while home is stopped, then stores every event exactly once', async () => {
    await home!.stop();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      for (const r of regions) {
        const s = await post(r.url, '/v1/sessions', { partnerId: 'acme', device: 'web' });
        statuses.push(s.status);
        if (s.status !== 201) continue;
        emitted++;
        const { sessionId } = (await s.json()) as { sessionId: string };
        const l = await post(r.url, '/v1/links', { destination: 'https://shop.example/p/2' }, sessionId);
        statuses.push(l.status);
        if (l.status === 201) {
          emitted++;
          const { region } = (await l.json()) as { region: string };
          linksByRegion[region] = (linksByRegion[region] ?? 0) + 1;
        }
      }
    }
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    for (const r of regions) {
      expect(await metric(r.url, 'meridian_outbox_backlog_events')).toBeGreaterThanOrEqual(40);
      expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
    }

    await startHome();
    const counts = await eventually('every event at home', () => {
      const c = ingestCounts();
      return c.n >= emitted ? c : undefined;
    });
    expect(counts).toEqual({ n: emitted, d: emitted });
    for (const r of regions) {
      await eventually('backlog drained', async () =>
        (await metric(r.url, 'meridian_outbox_backlog_events')) === 0 ? true : undefined,
      );
    }
    expect(ingestCounts()).toEqual({ n: emitted, d: emitted });
    const stats = (await (await fetch(`${home!.url}/v1/stats`)).json()) as {
      linksCreated: Record<string, Record<string, number>>;
      dailyActiveSessions: Record<string, Record<string, number>>;
    };
    expect(stats.linksCreated.acme).toEqual(linksByRegion);
    const sessionsSeen = Object.values(stats.dailyActiveSessions).reduce((n, day) => n + (day.acme ?? 0), 0);
    expect(sessionsSeen).toBe(42); // 40 here, one in each test before
  });

  it('enforces a revocation made at home in every region once they poll', async () => {
    const [a, b] = regions as [MeridianProcess, MeridianProcess];
    const victim = await newSession(a.url);
    const bystander = await newSession(b.url);
    await newLink(b.url, victim);
    const res = await admin('POST', '/v1/admin/revocations', { sessionId: victim });
    expect(res.status).toBe(201);
    const { configVersion } = (await res.json()) as { configVersion: number };
    for (const r of regions) {
      await eventually(`${r.url} at config v${configVersion}`, async () =>
        ((await status(r.url)).config.version ?? 0) >= configVersion ? true : undefined,
      );
      const refused = await post(r.url, '/v1/links', { destination: 'https://shop.example/' }, victim);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('revoked');
      await newLink(r.url, bystander);
    }
  });

  it('rejects a bad snapshot published to escrow and keeps serving the last good one', async () => {
    const [a, b] = regions as [MeridianProcess, MeridianProcess];
    await home!.stop();
    const escrow = join(dir, 'escrow');
    const pointerPath = join(escrow, pointerKey(CONFIG));
    const goodPointer = readFileSync(pointerPath);
    const good = JSON.parse(goodPointer.toString()) as { version: number };
    const served = (await status(a.url)).config.version!;
    // Signed with a key that is not home's, for a higher version, with the partner removed.
    const forgedVersion = good.version + 10;
    const forged = signSnapshot(
      { name: CONFIG, version: forgedVersion, createdAt: Date.now(), data: { partners: [] } },
      toPrivateKey(generateSigningKeys().privateKey),
    );
    writeFileSync(join(escrow, snapshotKey(CONFIG, forgedVersion)), forged);
    writeFileSync(
      pointerPath,
      JSON.stringify({ name: CONFIG, version: forgedVersion, key: snapshotKey(CONFIG, forgedVersion) }),
    );
    for (const r of [a, b]) {
      await eventually('the forged snapshot refused', async () =>
        (await metric(r.url, 'meridian_config_rejections_total')) > 0 ? true : undefined,
      );
      expect((await status(r.url)).config.version).toBe(served);
      expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
      await newLink(r.url, await newSession(r.url));
    }
    writeFileSync(pointerPath, goodPointer);
    await startHome();
  });

  it('baseline mode answers while home is up and fails while it is down; Meridian mode does not', async () => {
    baseline = await startRegion('eu-west-2', ['--baseline']);
    const session = await post(baseline.url, '/v1/sessions', { partnerId: 'acme', device: 'ios' });
    expect(session.status).toBe(201);
    const { sessionId } = (await session.json()) as { sessionId: string };
    expect(
      (await post(baseline.url, '/v1/links', { destination: 'https://shop.example/' }, sessionId)).status,
    ).toBe(201);
    await home!.stop();
    const down = await post(baseline.url, '/v1/sessions', { partnerId: 'acme', device: 'ios' });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('home-unavailable');
    expect(
      (await post(baseline.url, '/v1/links', { destination: 'https://shop.example/' }, sessionId)).status,
    ).toBe(503);
    expect((await fetch(`${baseline.url}/healthz`)).status).toBe(503);
    await newLink(regions[0]!.url, await newSession(regions[0]!.url));
  });
});
