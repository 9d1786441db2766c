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
}): LinksSessions & {
  /**
   * What a revocation of `id` must list: the 16-character id itself, or the id of a full
   * session ID this key ring issued and that has not expired; else why it is not one.
   */
  sessionIdOf(id: string): { ok: true; sessionId: string } | { ok: false; reason: string };
} {
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
    sessionIdOf(id) {
      if (/^[A-Za-z0-9_-]{16}$/.test(id)) return { ok: true, sessionId: id };
      const result = codec.verify(id, { revocations: {} });
      return result.ok
        ? { ok: true, sessionId: result.session.sessionId }
        : { ok: false, reason: `not a session ID of the current key ring (${result.reason})` };
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
