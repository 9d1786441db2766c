// The regional `links` API: sessions, links and the redirect. Handlers read memory only (the
// config snapshot, the session key ring) and append events to the outbox; nothing waits for home.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../core/index.js';
import { checkDestination } from './check-destination.js';
import { clientPrefix } from './client-prefix.js';
import { sendError } from './json-errors.js';
import { renderLink } from './link-template.js';
import type { LinkTokenCodec } from './link-token.js';
import type { LinksConfig } from './links-config.js';
import { parseLinkRequest, parseSessionHeader, parseSessionRequest } from './parse-session-request.js';
import { findPartner } from './partner-directory.js';
import { type PartnerRateLimiter, type RateDecision, rateLimitError } from './partner-rate-limiter.js';

/** What a session ID carries. */
export interface LinksSession {
  /** A short, non-secret name of the session (what revocation by session lists and events carry). */
  readonly sessionId: string;
  readonly partnerId: string;
  readonly device: string;
  readonly issuedAtMs: number;
}

export type SessionCheck =
  | { readonly ok: true; readonly session: LinksSession }
  | { readonly ok: false; readonly reason: string };

/** Issues and verifies direct-encoded session IDs (revocations included). */
export interface LinksSessions {
  /** `token` goes to the client; `sessionId` is its short, non-secret name. */
  issue(row: { partnerId: string; device: string }, ttlSeconds: number): { token: string; sessionId: string };
  verify(sessionId: string): SessionCheck;
}

/**
 * Where events go: the region's durable outbox. The response waits for the returned promise
 * (a local group commit, never home); a rejection (for example the disk cap) answers 503.
 */
export interface LinksEvents {
  enqueue(
    topic: string,
    payload: Record<string, unknown>,
    options: { key: string },
  ): Promise<unknown> | undefined;
}

export interface LinksDeps {
  readonly region: string;
  /** The current config snapshot data, or undefined before the first warm. */
  readonly config: () => LinksConfig | undefined;
  readonly sessions: LinksSessions;
  readonly events: LinksEvents;
  readonly linkTokens: LinkTokenCodec;
  readonly rateLimiter: PartnerRateLimiter;
  readonly clock: Clock;
  readonly registry?: Registry;
}

/** Topic names the workload emits, with their payloads documented in the README. */
export const SESSION_STARTED = 'session-started';
export const LINK_CREATED = 'link-created';

/** A short name for a link token, used as its event's idempotency key. */
export function linkKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/** Registers POST /v1/sessions, POST /v1/links and GET /l/:token on `app`. */
export function registerLinksRoutes(app: FastifyInstance, deps: LinksDeps): void {
  const { region, clock } = deps;
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: deps.registry ? [deps.registry] : [] });
  const sessionsIssued = counter('meridian_links_sessions_issued_total', 'sessions issued by this region');
  const linksCreated = counter('meridian_links_links_created_total', 'links created by this region');
  const redirects = counter('meridian_links_redirects_total', 'link redirects served');
  const rejections = counter('meridian_links_rejections_total', 'requests refused, by code', ['code']);
  const refuse = (reply: FastifyReply, status: number, code: string, message: string) => {
    rejections.inc({ code });
    return sendError(reply, status, code, message);
  };
  const refuseRate = (
    reply: FastifyReply,
    decision: Extract<RateDecision, { ok: false }>,
    partnerId: string,
  ) => {
    const { code, message } = rateLimitError(decision, partnerId);
    reply.header('retry-after', String(decision.retryAfterSeconds));
    return refuse(reply, 429, code, message);
  };
  const warmConfig = (reply: FastifyReply): LinksConfig | undefined => {
    const config = deps.config();
    if (!config) refuse(reply, 503, 'config-not-warm', 'this region has not loaded its configuration yet');
    return config;
  };
  const emit = async (
    reply: FastifyReply,
    topic: string,
    payload: Record<string, unknown>,
    key: string,
  ): Promise<boolean> => {
    try {
      await deps.events.enqueue(topic, payload, { key });
      return true;
    } catch (err) {
      reply.log.error({ err, topic }, 'outbox enqueue failed');
      refuse(reply, 503, 'outbox-unavailable', 'this region cannot record the request right now; retry');
      return false;
    }
  };

  app.post('/v1/sessions', async (request, reply) => {
    const parsed = parseSessionRequest(request.body);
    if (!parsed.ok) return refuse(reply, 400, parsed.code, parsed.message);
    const { partnerId, device } = parsed.value;
    const config = warmConfig(reply);
    if (!config) return reply;
    const partner = findPartner(config, partnerId);
    if (!partner?.active) return refuse(reply, 404, 'unknown-partner', `no active partner ${partnerId}`);
    // The client's own share first: a flooding client is refused before it spends the partner's.
    const admitted = deps.rateLimiter.take(partnerId, partner.rateLimitRps, clientPrefix(request.ip));
    if (!admitted.ok) return refuseRate(reply, admitted, partnerId);
    const issued = deps.sessions.issue({ partnerId, device }, config.settings.sessionTtlSeconds);
    const payload = { session: issued.sessionId, partnerId, device, region, atMs: clock.now() };
    if (!(await emit(reply, SESSION_STARTED, payload, `s-${issued.sessionId}`))) return reply;
    sessionsIssued.inc();
    return reply.code(201).send({ sessionId: issued.token, region });
  });

  app.post('/v1/links', async (request, reply) => {
    const header = parseSessionHeader(request.headers.authorization);
    if (!header.ok) return refuse(reply, 401, header.code, header.message);
    const sessionId = header.value;
    const check = deps.sessions.verify(sessionId);
    if (!check.ok) return refuse(reply, 401, 'invalid-session', `session ${check.reason}`);
    const destination = parseLinkRequest(request.body);
    if (!destination.ok) return refuse(reply, 400, destination.code, destination.message);
    const config = warmConfig(reply);
    if (!config) return reply;
    const { partnerId } = check.session;
    const partner = findPartner(config, partnerId);
    if (!partner?.active) return refuse(reply, 404, 'unknown-partner', `no active partner ${partnerId}`);
    const admitted = deps.rateLimiter.take(partnerId, partner.rateLimitRps);
    if (!admitted.ok) return refuseRate(reply, admitted, partnerId);
    const dest = checkDestination(destination.value, partner, config.settings.maxDestinationLength);
    if (!dest.ok) return refuse(reply, 422, dest.code, dest.message);
    const now = clock.now();
    const token = deps.linkTokens.encode({ partnerId, destination: dest.url, createdAtMs: now });
    const link = renderLink(partner.linkTemplate, { token, partnerId, region });
    const payload = { session: check.session.sessionId, partnerId, region, host: dest.host, atMs: now };
    if (!(await emit(reply, LINK_CREATED, payload, `l-${linkKey(token)}`))) return reply;
    linksCreated.inc();
    return reply.code(201).send({ link, region });
  });

  app.get('/l/:token', (request, reply) => {
    const { token } = request.params as { token: string };
    const decoded = deps.linkTokens.decode(token);
    if (!decoded.ok) return refuse(reply, 404, 'unknown-link', `link is not valid (${decoded.reason})`);
    redirects.inc();
    return reply
      .code(302)
      .header('location', decoded.link.destination)
      .header('cache-control', 'no-store')
      .send();
  });
}
