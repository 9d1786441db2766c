// What home takes as a session revocation (issue 16): only a session ID. Without a session key
// ring only the 16-character id regions compare; with one, also a full ID the ring issued.
// Anything else is 400 `invalid-revocation` and publishes nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { ManualClock } from '../../core/index.js';
import { createLinksSessions } from '../../links/index.js';
import { ConfigStore, linksWorkload } from '../../links/io/index.js';
import { createSessionKeyRing } from '../../session/index.js';
import { type RunningHome, startHome } from './start-home.js';

const TOKEN = 'home-test-admin-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const ring = () => createSessionKeyRing({ keys: [{ id: 1, secret: randomBytes(32) }], activeKeyId: 1 });

describe('session revocations at home', () => {
  const clock = new ManualClock(Date.parse('2026-12-06T04:00:00Z'));
  const keys = ring();
  const sessions = createLinksSessions({ keys, clock, revocations: () => undefined });
  const other = createLinksSessions({ keys: ring(), clock, revocations: () => undefined });
  let dir: string;
  let bare: RunningHome;
  let keyed: RunningHome;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-home-revocations-'));
    const options = (name: string) => ({
      workload: linksWorkload(),
      clock,
      port: 0,
      dataDir: join(dir, name),
      escrowDir: join(dir, name, 'escrow'),
      signingKey: generateSigningKeys().privateKey,
      adminToken: TOKEN,
      requestSecret: 'home-test-request-secret-0123456789abcdef',
      configName: 'links',
      buildVersion: 'test',
    });
    bare = await startHome(options('bare'));
    keyed = await startHome({ ...options('keyed'), sessionKeys: keys });
  });
  afterAll(async () => {
    await bare?.stop();
    await keyed?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const revoke = (home: RunningHome, sessionId: string) =>
    home.app.inject({ method: 'POST', url: '/v1/admin/revocations', headers: auth, payload: { sessionId } });
  const listed = async (home: RunningHome) =>
    (
      (await home.app.inject({ method: 'GET', url: '/v1/admin/revocations', headers: auth })).json() as {
        revocations: { kind: string; subject: string }[];
      }
    ).revocations
      .filter((r) => r.kind === 'session')
      .map((r) => r.subject);

  it('refuses what is not a session ID with 400 invalid-revocation, and publishes nothing', async () => {
    const full = sessions.issue({ partnerId: 'acme', device: 'ios' }, 600).token;
    expect(full.length).toBe(58);
    for (const home of [bare, keyed]) {
      const before = home.publisher.lastVersion();
      for (const input of ['x', 'not a session id at all', `ml_${'A'.repeat(55)}`, 'a'.repeat(64)]) {
        const res = await revoke(home, input);
        expect({ input, status: res.statusCode, code: res.json().error.code }).toEqual({
          input,
          status: 400,
          code: 'invalid-revocation',
        });
      }
      expect(home.publisher.lastVersion()).toBe(before);
    }
    // A full ID is a session ID only to a home that can read it: never stored as given.
    const res = await revoke(bare, full);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('--session-keys');
    expect(await listed(bare)).not.toContain(full);
  });

  it('with the key ring, revokes a full session ID by the id regions compare', async () => {
    const { token, sessionId } = sessions.issue({ partnerId: 'acme', device: 'ios' }, 600);
    const res = await revoke(keyed, token);
    expect(res.statusCode).toBe(201);
    expect(res.json().revocation).toEqual({ kind: 'session', sessionId });
    expect(sessionId).toBe(token.slice(-16));
    expect(await listed(keyed)).toContain(sessionId);
    // And what the regions then check: the snapshot home publishes refuses that session.
    const snapshot = await new ConfigStore(keyed.db, clock).buildLinksConfig();
    const revoked = createLinksSessions({ keys, clock, revocations: () => snapshot.revocations });
    expect(revoked.verify(token)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('with the key ring, refuses a full ID of another ring or one that expired', async () => {
    const foreign = other.issue({ partnerId: 'acme', device: 'ios' }, 600).token;
    expect((await revoke(keyed, foreign)).json().error.message).toContain(
      'not a session ID of the current key ring',
    );
    const short = sessions.issue({ partnerId: 'acme', device: 'ios' }, 60).token;
    clock.advance(61_000);
    const expired = await revoke(keyed, short);
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.message).toContain('expired');
  });

  it('takes the 16-character id with or without the key ring', async () => {
    for (const home of [bare, keyed]) {
      const { sessionId } = sessions.issue({ partnerId: 'acme', device: 'web' }, 600);
      expect((await revoke(home, sessionId)).statusCode).toBe(201);
      expect(await listed(home)).toContain(sessionId);
    }
  });
});
