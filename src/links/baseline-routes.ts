// The same links API built the "before" way: sessions and links are rows in home's database and
// every request reads the session and the partner from there (through home's row API). A hard
// dependency on home by design; for measurement and drills only.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { checkDestination, checkDestinationShape } from './check-destination.js';
import { clientPrefix } from './client-prefix.js';
import { sendError } from './json-errors.js';
import { renderLink } from './link-template.js';
import type { Partner } from './links-config.js';
import { parseLinkRequest, parseSessionHeader, parseSessionRequest } from './parse-session-request.js';
import { type PartnerRateLimiter, rateLimitError } from './partner-rate-limiter.js';

/** Home's row API as the baseline sees it; every call is a round trip to home. */
export interface BaselineHome {
  getPartner(id: string): Promise<Partner | undefined>;
  createSession(partnerId: string, device: string): Promise<string>;
  getSession(id: string): Promise<{ partnerId: string; device: string } | undefined>;
  createLink(sessionId: string, partnerId: string, destination: string): Promise<string>;
  getLinkDestination(id: string): Promise<string | undefined>;
}

export interface BaselineDeps {
  readonly region: string;
  readonly home: BaselineHome;
  readonly rateLimiter: PartnerRateLimiter;
  /** Longest destination accepted (the Meridian mode reads it from the snapshot settings). */
  readonly maxDestinationLength?: number;
}

const LINK_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The longest destination any snapshot allows (`settings.maxDestinationLength` is at most 4 096). */
const MAX_STORED_DESTINATION_CHARS = 4096;

/** Registers the baseline's POST /v1/sessions, POST /v1/links and GET /l/:token. */
export function registerBaselineRoutes(app: FastifyInstance, deps: BaselineDeps): void {
  const { region, home } = deps;
  const maxDestination = deps.maxDestinationLength ?? 2048;
  const homeDown = (reply: FastifyReply, err: unknown) => {
    reply.log.warn({ err }, 'home unavailable');
    return sendError(
      reply,
      503,
      'home-unavailable',
      'home is unavailable; the baseline cannot answer without it',
    );
  };
  /** The partner when it is active and admits one more request (from `client`, when given). */
  const activePartner = async (
    reply: FastifyReply,
    id: string,
    client?: string,
  ): Promise<Partner | undefined> => {
    const partner = await home.getPartner(id);
    if (!partner?.active) {
      sendError(reply, 404, 'unknown-partner', `no active partner ${id}`);
      return undefined;
    }
    const admitted = deps.rateLimiter.take(id, partner.rateLimitRps, client);
    if (!admitted.ok) {
      const { code, message } = rateLimitError(admitted, id);
      sendError(reply.header('retry-after', String(admitted.retryAfterSeconds)), 429, code, message);
      return undefined;
    }
    return partner;
  };

  app.post('/v1/sessions', async (request, reply) => {
    const parsed = parseSessionRequest(request.body);
    if (!parsed.ok) return sendError(reply, 400, parsed.code, parsed.message);
    try {
      const partner = await activePartner(reply, parsed.value.partnerId, clientPrefix(request.ip));
      if (!partner) return reply;
      const sessionId = await home.createSession(partner.id, parsed.value.device);
      return reply.code(201).send({ sessionId, region });
    } catch (err) {
      return homeDown(reply, err);
    }
  });

  app.post('/v1/links', async (request, reply) => {
    const header = parseSessionHeader(request.headers.authorization);
    if (!header.ok) return sendError(reply, 401, header.code, header.message);
    const destination = parseLinkRequest(request.body);
    if (!destination.ok) return sendError(reply, 400, destination.code, destination.message);
    try {
      const session = await home.getSession(header.value);
      if (!session) return sendError(reply, 401, 'invalid-session', 'session unknown');
      const partner = await activePartner(reply, session.partnerId);
      if (!partner) return reply;
      const dest = checkDestination(destination.value, partner, maxDestination);
      if (!dest.ok) return sendError(reply, 422, dest.code, dest.message);
      const id = await home.createLink(header.value, partner.id, dest.url);
      return reply.code(201).send({
        link: renderLink(partner.linkTemplate, { token: id, partnerId: partner.id, region }),
        region,
      });
    } catch (err) {
      return homeDown(reply, err);
    }
  });

  app.get('/l/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!LINK_ID.test(token)) return sendError(reply, 404, 'unknown-link', 'link is not valid (malformed)');
    try {
      const destination = await home.getLinkDestination(token);
      if (!destination) return sendError(reply, 404, 'unknown-link', 'link is not valid (unknown)');
      // Home checks every destination it stores; a row that does not pass (written before that,
      // or by hand) is still not followed to a javascript: or credential-carrying URL.
      const shape = checkDestinationShape(destination, MAX_STORED_DESTINATION_CHARS);
      if (!shape.ok) {
        reply.log.warn({ token, reason: shape.message }, 'baseline link row refused at redirect');
        return sendError(reply, 404, 'unknown-link', 'link is not valid (its destination is refused)');
      }
      return reply.code(302).header('location', shape.url).header('cache-control', 'no-store').send();
    } catch (err) {
      return homeDown(reply, err);
    }
  });
}
