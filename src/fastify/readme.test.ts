// Runs the README's service, exactly as written (its `meridian/*` imports pointed at this
// source tree), against a real home on loopback running a second workload's snapshot and
// ingest (src/workload's notes example): a real Fastify app with the plugin, port 0.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../config/index.js';
import { deriveSenderKey } from '../core/index.js';
import { type RunningHome, startHome } from '../home/index.js';
import { createSessionCodec, createSessionKeyRing, type SessionFormat } from '../session/index.js';
import { notesWorkload } from '../workload/test-support/notes-workload.js';

const SECRET = 'fastify-readme-request-secret-0123456789';
const TOKEN = 'fastify-readme-admin-token';
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const example = /<!-- example: service -->\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
const src = fileURLToPath(new URL('..', import.meta.url));
const file = join(src, 'fastify', `.readme-service-${randomBytes(4).toString('hex')}.ts`);

/** Lines a user adds: the plugin's import and everything between the markers. */
function adoptionLines(code: string): number {
  const lines = code.split('\n');
  const begin = lines.findIndex((l) => l.includes('// meridian: begin'));
  const end = lines.findIndex((l) => l.includes('// meridian: end'));
  return 1 + (end - begin - 1);
}

describe('the meridian/fastify README example', () => {
  let dir: string;
  let home: RunningHome;
  let app: FastifyInstance;
  let base: string;
  let format: SessionFormat<never>;
  const keys = createSessionKeyRing({ keys: [{ id: 1, secret: randomBytes(32) }], activeKeyId: 1 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-fastify-'));
    writeFileSync(
      file,
      example.replace(/'meridian\/(\w+)'/g, (_m, mod: string) => `'${src}${mod}/index.js'`),
    );
    const signing = generateSigningKeys();
    home = await startHome({
      workload: notesWorkload,
      port: 0,
      dataDir: join(dir, 'home'),
      escrowDir: join(dir, 'escrow'),
      signingKey: signing.privateKey,
      adminToken: TOKEN,
      requestSecret: SECRET,
      buildVersion: 'test',
    });
    const service = (await import(file)) as {
      buildService(env: unknown): Promise<FastifyInstance>;
      userSessions: SessionFormat<never>;
    };
    format = service.userSessions;
    app = await service.buildService({
      homeUrl: home.url,
      publicKey: signing.publicKey,
      regionKey: deriveSenderKey(SECRET, 'region:eu-west-2'),
      sessionKeys: keys,
      dataDir: join(dir, 'service'),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await home?.stop();
    rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('says how many lines adopting Meridian takes', () => {
    const stated = /with the lines between the markers \((\d+) lines/.exec(readme)?.[1];
    expect(Number(stated)).toBe(adoptionLines(example));
  });

  it('is healthy once warm, verifies sessions, serves config and relays events home once', async () => {
    await until('/healthz 200', async () =>
      (await fetch(`${base}/healthz`)).status === 200 ? true : undefined,
    );
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    const anonymous = await fetch(`${base}/hello`);
    expect(anonymous.status).toBe(401);
    const codec = createSessionCodec(format, { keys, clock: { now: () => Date.now() } as never });
    const id = codec.issue({ user: 'ada' } as never, { ttlSeconds: 600 });
    const hello = await fetch(`${base}/hello`, { headers: { authorization: `Session ${id}` } });
    expect(await hello.json()).toEqual({ user: 'ada', banner: 'hello' });
    const forged = await fetch(`${base}/hello`, {
      headers: { authorization: `Session ${id.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(401);

    for (const note of ['n1', 'n2', 'n1']) {
      expect((await fetch(`${base}/notes/${note}`, { method: 'POST' })).status).toBe(201);
    }
    const stats = await until('both notes at home', async () => {
      const s = (await (await fetch(`${home.url}/v1/stats`)).json()) as { notes: number };
      return s.notes >= 2 ? s : undefined;
    });
    expect(stats).toEqual({ notes: 2 });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('meridian_outbox_');
  });
});
