// Safe drains through the admin API: the floor (drain.minServing) refuses with 409 and the reason,
// a forced drain needs a reason and is recorded, and ?preview=1 (or the old ?dryRun=1) changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorRecord } from '../operator-state/index.js';
import type { DrainPreview, DrainPreviewRow } from './drain-preview.js';
import { digShort, type E2e, startE2e, until } from './test-support/e2e-world.js';

const TOKEN = 'safe-drain-e2e-token-0123456789';
// slow enough that no region flaps under a loaded machine and changes the count of serving regions
const HEALTH = '{ path: /healthz, intervalMs: 200, timeoutMs: 1000, rise: 1, fall: 3 }';
const cape = ['links.example.test', '+subnet=203.0.113.0/24'];
let e: E2e;

beforeAll(async () => {
  e = await startE2e({ adminToken: TOKEN, healthYaml: HEALTH });
  await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
});
afterAll(() => e?.stop());

const post = async (path: string, body: Record<string, unknown> = {}) => {
  const res = await fetch(`${e.adminUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as DrainPreview & Record<string, unknown> };
};
const drained = () =>
  e.gslb.monitor
    .table()
    .regions.filter((r) => r.drained)
    .map((r) => r.name);

describe('safe drains (drain.minServing, default 2 of 3 regions)', () => {
  it('previews a drain without making it: per network the answer before and after, extra latency, countdown', async () => {
    for (const query of ['?preview=1', '?dryRun=1']) {
      const r = await post(`/v1/regions/af-south-1/drain${query}`);
      expect(r.status).toBe(200);
      expect(r.body.preview).toBe(true);
      expect(r.body.floor).toMatchObject({ ok: true, rule: 'above-floor', minServing: 2 });
      const row = r.body.changes.find(
        (c: DrainPreviewRow) => c.network === 'cape-town' && c.hostname === 'links.example.test',
      );
      expect(row).toBeDefined();
      if (!row) return;
      expect(row.before.regions).toEqual(['af-south-1']);
      expect(row.after.regions).toEqual(['eu-west-2']);
      expect(row.extraLatencyMs).toBeGreaterThan(50);
      // TTL (capped to 1 s by the health window) + the detection bound 3 × 1000 + 1000 ms
      expect(row.oldAnswerExpiresInSeconds).toBe(row.before.ttlSeconds + 4);
      expect(r.body.lastOldAnswerExpiresInSeconds).toBe(row.oldAnswerExpiresInSeconds);
      const portland = (c: DrainPreviewRow) =>
        c.network === 'portland' && c.hostname === 'links.example.test';
      expect(r.body.changes.some(portland)).toBe(false);
      expect(r.body.unchanged).toBeGreaterThan(0);
      expect(drained()).toEqual([]);
      expect(await digShort(e.port, cape)).toEqual(['127.0.3.1']);
    }
  });

  it('drains down to the floor, then refuses with 409 and the reason', async () => {
    expect((await post('/v1/regions/af-south-1/drain', { reason: 'kernel patch', who: 'ana' })).status).toBe(
      200,
    );
    const refused = await post('/v1/regions/eu-west-2/drain', { reason: 'kernel patch' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('MERIDIAN_GSLB_DRAIN_BELOW_FLOOR');
    expect(refused.body.error).toContain('would leave 1 region serving (us-west-2); drain.minServing is 2');
    expect(drained()).toEqual(['af-south-1']);
    // the preview says so too, and still changes nothing
    const preview = await post('/v1/regions/eu-west-2/drain?preview=1');
    expect(preview.body.floor).toMatchObject({ ok: false, rule: 'serving-floor' });
    expect(drained()).toEqual(['af-south-1']);
  });

  it('a forced drain needs a reason, passes, and is recorded with who, when and why', async () => {
    const noReason = await post('/v1/regions/eu-west-2/drain', { force: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('MERIDIAN_GSLB_DRAIN_FORCE_NEEDS_REASON');
    const before = Date.now();
    const forced = await post('/v1/regions/eu-west-2/drain', {
      force: true,
      reason: 'eu-west-2 is corrupting writes',
      who: 'ana@ops',
    });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ drained: true, forced: true });
    expect(drained()).toEqual(['eu-west-2', 'af-south-1']);
    const state = (await (
      await fetch(`${e.adminUrl}/v1/state`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { operatorRecords: OperatorRecord[]; drainFloor: unknown };
    expect(state.drainFloor).toEqual({ minServing: 2 });
    const rec = state.operatorRecords.at(-1);
    expect(rec).toMatchObject({
      action: 'drain',
      target: 'eu-west-2',
      who: 'ana@ops',
      reason: 'eu-west-2 is corrupting writes',
      forced: true,
    });
    expect(rec?.atMs).toBeGreaterThanOrEqual(before);
  });

  it('undrains are never refused, and unknown regions are 404', async () => {
    expect((await post('/v1/regions/eu-west-2/undrain', { who: 'ana' })).status).toBe(200);
    expect((await post('/v1/regions/af-south-1/undrain')).status).toBe(200);
    expect(drained()).toEqual([]);
    expect((await post('/v1/regions/atlantis/drain')).status).toBe(404);
    expect((await post('/v1/regions/atlantis/drain?preview=1')).status).toBe(404);
    expect((await post('/v1/regions/af-south-1/drain', { force: 'yes' })).status).toBe(400);
  });
});
