// Issue 16 as a user tried it: under `meridian up`, revoking a session by the full ID a region
// issued must take effect. Home gets the regions' session key ring (--session-keys), reads the
// full ID, and every region refuses that session once it polls the new snapshot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedLabOptions, LAB_PARTNER_ID, type MeridianUp, startMeridianUp } from './meridian-up.js';
import { freePort } from './test-support/free-port.js';
import { reducedWorldText } from './test-support/reduced-world-text.js';
import { LAB_PROGRAMS_BUILT, until } from './test-support/until.js';

const ADDR = { home: '127.0.87.1', eu: '127.0.88.1' } as const;

describe.skipIf(!LAB_PROGRAMS_BUILT)('meridian up: revoking a full session ID', () => {
  let dir: string;
  let up: MeridianUp;
  let eu: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-up-revocation-'));
    const file = join(dir, 'world.yaml');
    const euPort = await freePort(ADDR.eu);
    eu = `http://${ADDR.eu}:${euPort}`;
    writeFileSync(
      file,
      reducedWorldText([
        `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: ${await freePort(ADDR.home)} }`,
        `eu-west-2: { cidr: 10.20.0.0/16, address: ${ADDR.eu}, port: ${euPort} }`,
      ]),
    );
    up = await startMeridianUp({ worldFile: file, ...isolatedLabOptions(dir), watch: false });
  }, 90_000);

  afterAll(async () => {
    await up?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
  const link = (session: string) =>
    post(`${eu}/v1/links`, { destination: 'https://example.org/a' }, { authorization: `Session ${session}` });

  it('is refused by the region once home publishes the revocation', async () => {
    const started = await post(`${eu}/v1/sessions`, { partnerId: LAB_PARTNER_ID, device: 'ios' });
    expect(started.status).toBe(201);
    const { sessionId } = (await started.json()) as { sessionId: string };
    expect(sessionId.length).toBeGreaterThan(16); // the full ID, not the 16-character id
    expect((await link(sessionId)).status).toBe(201);
    const admin = { authorization: `Bearer ${up.adminToken}` };
    const revoked = await post(`${up.homeUrl()}/v1/admin/revocations`, { sessionId }, admin);
    expect(revoked.status).toBe(201);
    expect(((await revoked.json()) as { revocation: unknown }).revocation).toEqual({
      kind: 'session',
      sessionId: sessionId.slice(-16),
    });
    const refused = await until(
      'the region to refuse the revoked session',
      async () => {
        const res = await link(sessionId);
        return res.status === 401 ? ((await res.json()) as { error: { message: string } }) : undefined;
      },
      15_000,
    );
    expect(refused.error.message).toContain('revoked');
    // And home still refuses what is no session ID at all.
    const junk = await post(`${up.homeUrl()}/v1/admin/revocations`, { sessionId: 'x' }, admin);
    expect(junk.status).toBe(400);
  });
});
