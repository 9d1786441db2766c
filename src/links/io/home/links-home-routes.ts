// The links workload's routes at home: the admin API that changes its config (each change
// publishes a snapshot), partner-relay (signed by the partner), and the baseline's row API
// (signed by a region). Home guards /v1/admin/ before these run, and knows no region.
import type { FastifyInstance } from 'fastify';
import { type Clock, encodeSenderKey, parseSender, partnerSender } from '../../../core/index.js';
import { requestSignatureHooks, signedSender } from '../../../outbox/io/index.js';
import { checkDestination } from '../../check-destination.js';
import { sendError } from '../../json-errors.js';
import { type LinksConfig, linksSettingsSchema, partnerSchema } from '../../links-config.js';
import { findPartner } from '../../partner-directory.js';
import type { BaselineStore } from './baseline-store.js';
import type { ConfigStore, RevocationInput } from './config-store.js';
import type { PartnerEventStore } from './partner-event-store.js';

export interface LinksHomeRoutesDeps {
  readonly config: ConfigStore;
  readonly partnerEvents: PartnerEventStore;
  readonly baseline: BaselineStore;
  /** Applies a change, then home publishes the next snapshot; one change at a time. */
  readonly change: <T>(fn: () => Promise<T>) => Promise<{ result: T; configVersion: number }>;
  /** The key of a signing sender (`region:<name>`, `partner:<id>`): `deriveSenderKey(secret, sender)`. */
  readonly senderKey: (sender: string) => Uint8Array;
  /** The links config last published: what regions decide by, so the baseline decides by it too. */
  readonly currentConfig: () => LinksConfig;
  readonly clock?: Clock;
  /**
   * Reads a revocation's `sessionId`: a full session ID of the current key ring gives the
   * 16-character id regions compare; anything else gives the reason it is not one. Without it
   * (home has no session key ring) only the 16-character id is taken.
   */
  readonly sessionIdOf?: (sessionIdOrToken: string) => SessionIdOfResult;
}

/** What `sessionIdOf` makes of a revocation's `sessionId`. */
export type SessionIdOfResult = { ok: true; sessionId: string } | { ok: false; reason: string };

/** The id regions compare: the last 16 characters of a session ID (base64url). */
export const SHORT_SESSION_ID = /^[A-Za-z0-9_-]{16}$/;

/** Takes the 16-character id only: home cannot check a full session ID without the key ring. */
function shortSessionIdOnly(s: string): SessionIdOfResult {
  return SHORT_SESSION_ID.test(s)
    ? { ok: true, sessionId: s }
    : {
        ok: false,
        reason:
          'home has no session key ring to read a full session ID: give its last 16 characters, or start home with --session-keys',
      };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const EVENT_ID = /^[A-Za-z0-9._:/-]{1,128}$/;
const EVENT_TYPE = /^[A-Za-z0-9._:-]{1,64}$/;
/** Largest partner-relay request body (413 above it, before it is read). */
export const PARTNER_EVENT_MAX_BYTES = 64 * 1024;

/** Registers links' admin API, partner-relay and the baseline row API on home's app. */
export function registerLinksHomeRoutes(app: FastifyInstance, deps: LinksHomeRoutesDeps): void {
  const { config, change } = deps;
  /** Route hooks: only a request signed by a `kind` sender gets through (decision 0015). */
  const signedBy = (kind: 'region' | 'partner') =>
    requestSignatureHooks({
      keyFor: (sender) => (parseSender(sender)?.kind === kind ? deps.senderKey(sender) : undefined),
      ...(deps.clock ? { clock: deps.clock } : {}),
      refuse: (reply, reason) => sendError(reply, 401, 'unauthorized', reason),
    });
  const partnerRelayRoute = { ...signedBy('partner'), bodyLimit: PARTNER_EVENT_MAX_BYTES };
  const byRegion = signedBy('region');

  app.get('/v1/admin/partners', async () => {
    return { partners: await config.listPartners() };
  });
  app.get('/v1/admin/partners/:id', async (request, reply) => {
    const partner = await config.getPartner((request.params as { id: string }).id);
    return partner ? { partner } : sendError(reply, 404, 'unknown-partner', 'no such partner');
  });
  app.put('/v1/admin/partners/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError(reply, 400, 'invalid-body', 'expected a JSON partner object');
    }
    if ('id' in body && (body as { id: unknown }).id !== id) {
      return sendError(reply, 400, 'invalid-body', 'the id in the body differs from the id in the path');
    }
    const parsed = partnerSchema.safeParse({ ...body, id });
    if (!parsed.success) return sendError(reply, 400, 'invalid-partner', formatIssues(parsed.error.issues));
    const { configVersion } = await change(() => config.putPartner(parsed.data));
    return { partner: parsed.data, configVersion };
  });
  // The key a partner signs partner-relay events with (derived: nothing to store or rotate alone).
  app.get('/v1/admin/partners/:id/relay-key', async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await config.getPartner(id))) return sendError(reply, 404, 'unknown-partner', 'no such partner');
    const sender = partnerSender(id);
    return { partnerId: id, sender, key: encodeSenderKey(deps.senderKey(sender)) };
  });
  app.delete('/v1/admin/partners/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const { result, configVersion } = await change(() => config.deletePartner(id));
    return result
      ? { deleted: id, configVersion }
      : sendError(reply, 404, 'unknown-partner', 'no such partner');
  });

  app.get('/v1/admin/revocations', async () => {
    return { revocations: await config.listRevocations() };
  });
  app.post('/v1/admin/revocations', async (request, reply) => {
    const parsed = parseRevocation(request.body, deps.sessionIdOf ?? shortSessionIdOnly);
    if (!parsed.ok) return sendError(reply, 400, 'invalid-revocation', parsed.message);
    const { configVersion } = await change(() => config.addRevocation(parsed.value));
    return reply.code(201).send({ revocation: parsed.value, configVersion });
  });
  app.delete('/v1/admin/revocations/:kind/:subject', async (request, reply) => {
    const { kind, subject } = request.params as { kind: string; subject: string };
    if (kind !== 'session' && kind !== 'partner' && kind !== 'partner-before') {
      return sendError(reply, 400, 'invalid-revocation', 'kind is session, partner or partner-before');
    }
    const { result, configVersion } = await change(() => config.removeRevocation(kind, subject));
    return result ? { configVersion } : sendError(reply, 404, 'unknown-revocation', 'no such revocation');
  });

  app.get('/v1/admin/settings', async () => {
    return { settings: await config.getSettings() };
  });
  app.patch('/v1/admin/settings', async (request, reply) => {
    const parsed = linksSettingsSchema.partial().strict().safeParse(request.body);
    if (!parsed.success) return sendError(reply, 400, 'invalid-settings', formatIssues(parsed.error.issues));
    const { result, configVersion } = await change(() => config.patchSettings(parsed.data));
    return { settings: result, configVersion };
  });
  app.post('/v1/admin/publish', async () => {
    const { configVersion } = await change(async () => undefined);
    return { configVersion };
  });

  app.post('/v1/partner-events', partnerRelayRoute, async (request, reply) => {
    const body = request.body as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return sendError(reply, 400, 'invalid-body', 'expected {eventId, partnerId, type, payload}');
    }
    const { eventId, partnerId, type, payload } = body;
    if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) {
      return sendError(reply, 400, 'invalid-event-id', 'eventId must be 1…128 of A-Z a-z 0-9 . _ : / -');
    }
    if (typeof partnerId !== 'string' || !ID.test(partnerId)) {
      return sendError(reply, 400, 'invalid-partner-id', 'partnerId must be 1…64 of A-Z a-z 0-9 _ -');
    }
    if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
      return sendError(reply, 400, 'invalid-type', 'type must be 1…64 of A-Z a-z 0-9 . _ : -');
    }
    const sender = signedSender(request);
    if (sender !== partnerSender(partnerId)) {
      return sendError(reply, 403, 'forbidden', `${sender} may send events of its own partner only`);
    }
    const partner = await config.getPartner(partnerId);
    if (!partner?.active) return sendError(reply, 404, 'unknown-partner', `no active partner ${partnerId}`);
    const { stored, receivedAtMs } = await deps.partnerEvents.record({ eventId, partnerId, type, payload });
    return reply
      .code(stored ? 201 : 200)
      .send({ eventId, duplicate: !stored, receivedAt: new Date(receivedAtMs).toISOString() });
  });

  // The baseline's row API, for regions only: one database read or write per call, on purpose.
  app.get('/v1/baseline/partners/:id', byRegion, async (request, reply) => {
    const partner = await config.getPartner((request.params as { id: string }).id);
    return partner ?? sendError(reply, 404, 'unknown-partner', 'no such partner');
  });
  app.post('/v1/baseline/sessions', byRegion, async (request, reply) => {
    const { partnerId, device } = (request.body ?? {}) as { partnerId?: unknown; device?: unknown };
    if (
      typeof partnerId !== 'string' ||
      typeof device !== 'string' ||
      device.length > 64 ||
      !ID.test(partnerId)
    ) {
      return sendError(reply, 400, 'invalid-body', 'expected {partnerId, device}');
    }
    const row = await deps.baseline.createSession(partnerId, device);
    return reply.code(201).send({ id: row.id });
  });
  app.get('/v1/baseline/sessions/:id', byRegion, async (request, reply) => {
    const row = await deps.baseline.getSession((request.params as { id: string }).id);
    return row ?? sendError(reply, 404, 'unknown-session', 'no such session');
  });
  app.post('/v1/baseline/links', byRegion, async (request, reply) => {
    const { sessionId, partnerId, destination } = (request.body ?? {}) as Record<string, unknown>;
    if (typeof sessionId !== 'string' || typeof partnerId !== 'string' || typeof destination !== 'string') {
      return sendError(reply, 400, 'invalid-body', 'expected {sessionId, partnerId, destination}');
    }
    // The same check, on the same snapshot, as a region makes: no row holds a link it would refuse.
    const snapshot = deps.currentConfig();
    const partner = findPartner(snapshot, partnerId);
    if (!partner?.active) return sendError(reply, 404, 'unknown-partner', `no active partner ${partnerId}`);
    const dest = checkDestination(destination, partner, snapshot.settings.maxDestinationLength);
    if (!dest.ok) return sendError(reply, 422, dest.code, dest.message);
    return reply.code(201).send({ id: await deps.baseline.createLink(sessionId, partnerId, dest.url) });
  });
  app.get('/v1/baseline/links/:id', byRegion, async (request, reply) => {
    const destination = await deps.baseline.getLinkDestination((request.params as { id: string }).id);
    return destination ? { destination } : sendError(reply, 404, 'unknown-link', 'no such link');
  });
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `{sessionId}`, `{partnerId}` or `{partnerId, issuedBefore}` (ISO 8601 or epoch ms). */
function parseRevocation(
  body: unknown,
  sessionIdOf: (s: string) => SessionIdOfResult,
): Parsed<RevocationInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, message: 'expected {sessionId} or {partnerId} or {partnerId, issuedBefore}' };
  }
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort().join(',');
  if (keys === 'sessionId' && typeof b.sessionId === 'string' && b.sessionId.length <= 512) {
    const id = sessionIdOf(b.sessionId.trim());
    return id.ok
      ? { ok: true, value: { kind: 'session', sessionId: id.sessionId } }
      : {
          ok: false,
          message: `sessionId is not a session ID (${b.sessionId.length} characters): ${id.reason}`,
        };
  }
  if (typeof b.partnerId !== 'string' || !ID.test(b.partnerId)) {
    return { ok: false, message: 'expected {sessionId} or {partnerId} or {partnerId, issuedBefore}' };
  }
  if (keys === 'partnerId') return { ok: true, value: { kind: 'partner', partnerId: b.partnerId } };
  if (keys === 'issuedBefore,partnerId') {
    const t = typeof b.issuedBefore === 'number' ? b.issuedBefore : Date.parse(String(b.issuedBefore));
    if (!Number.isFinite(t) || t < 0)
      return { ok: false, message: 'issuedBefore is not an ISO 8601 time or epoch ms' };
    return { ok: true, value: { kind: 'partner-before', partnerId: b.partnerId, beforeMs: t } };
  }
  return { ok: false, message: `unexpected fields ${keys}` };
}

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`).join('; ');
}
