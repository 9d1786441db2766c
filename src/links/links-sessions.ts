// The links workload's session row and its binding to the session module: what a session ID
// carries (partner, device, a nonce so two IDs never collide) and where revocations come from.
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import { type Clock, MeridianError } from '../core/index.js';
import { createSessionCodec, defineSessionFormat, field, type SessionKeyRing } from '../session/index.js';
import type { LinkKey } from './link-token.js';
import type { Revocations } from './links-config.js';
import type { LinksSessions } from './links-routes.js';

/** The links session row: partner id, device, 6 random bytes. IDs look like `ml_…`. */
export const linksSessionFormat = defineSessionFormat({
  prefix: 'ml',
  fields: {
    partner: field.string({ maxBytes: 64 }),
    device: field.string({ maxBytes: 64 }),
    nonce: field.bytes({ length: 6 }),
  },
  partnerField: 'partner',
});

/** LinksSessions over the session codec; `revocations` is read on every verify. */
export function createLinksSessions(options: {
  keys: SessionKeyRing;
  clock: Clock;
  revocations: () => Revocations | undefined;
  registry?: Registry;
}): LinksSessions & { sessionIdOf(token: string): string | undefined } {
  const codec = createSessionCodec(linksSessionFormat, {
    keys: options.keys,
    clock: options.clock,
    revocations: options.revocations,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  return {
    issue(row, ttlSeconds) {
      const token = codec.issue(
        { partner: row.partnerId, device: row.device, nonce: randomBytes(6) },
        { ttlSeconds },
      );
      const check = codec.verify(token, { revocations: {} });
      if (!check.ok) {
        throw new MeridianError(
          'MERIDIAN_LINKS_SESSION_SELF_CHECK',
          `a freshly issued session failed to verify (${check.reason})`,
        );
      }
      return { token, sessionId: check.session.sessionId };
    },
    verify(sessionId) {
      const result = codec.verify(sessionId);
      if (!result.ok) return result;
      const { row, issuedAtMs } = result.session;
      return {
        ok: true,
        session: {
          partnerId: row.partner,
          device: row.device,
          issuedAtMs,
          sessionId: result.session.sessionId,
        },
      };
    },
    sessionIdOf(token) {
      const result = codec.verify(token, { revocations: {} });
      return result.ok ? result.session.sessionId : undefined;
    },
  };
}

/**
 * Link-token keys derived from the session key ring (HMAC of a fixed label under each key's
 * MAC sub-key), so a region needs one secret file for both, and ids rotate together.
 */
export function deriveLinkKeys(keys: SessionKeyRing): LinkKey[] {
  const label = Buffer.from('meridian-links link-token key v1', 'utf8');
  return keys.ids.map((id) => {
    const tag: string | Uint8Array = keys.get(id)!.mac(label, new Uint8Array(0), 0);
    // The session module returns the tag as a binary (latin1) string; accept bytes too.
    return { id, secret: typeof tag === 'string' ? Buffer.from(tag, 'latin1') : Buffer.from(tag) };
  });
}
