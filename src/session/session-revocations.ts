// Revocations as home publishes them inside its config snapshot, and the pure check over them.
import { z } from 'zod';

/**
 * The revocation list home publishes (JSON-friendly; put it in your config snapshot's data).
 * Partners are compared as text: a `uint` partner field 42 matches `"42"`.
 */
export interface SessionRevocations {
  /** Session ids (`VerifiedSession.sessionId`) revoked one by one. */
  readonly sessions?: readonly string[];
  /** Every session of these partners, whenever issued. */
  readonly partners?: readonly string[];
  /**
   * Every session of `partner` issued before `issuedBefore` (ISO 8601 with zone). Issue
   * times have whole-second resolution, so a session issued in the same second as
   * `issuedBefore`, just after it, is revoked too (never the other way round).
   */
  readonly partnersIssuedBefore?: readonly { readonly partner: string; readonly issuedBefore: string }[];
}

/** The zod schema of `SessionRevocations`, for the application's config snapshot schema. */
export const sessionRevocationsSchema = z
  .object({
    sessions: z.array(z.string().min(1).max(64)).optional(),
    partners: z.array(z.string().min(1)).optional(),
    partnersIssuedBefore: z
      .array(
        z.object({ partner: z.string().min(1), issuedBefore: z.iso.datetime({ offset: true }) }).strict(),
      )
      .optional(),
  })
  .strict();

/** What a revocation check looks at in a verified session. */
export interface RevocationSubject {
  readonly sessionId: string;
  /** The partner field's value as text, or undefined when the format has none. */
  readonly partner: string | undefined;
  readonly issuedAtMs: number;
}

interface RevocationIndex {
  sessions: ReadonlySet<string>;
  /** Partner → sessions issued before this time (ms) are revoked; Infinity = all of them. */
  partners: ReadonlyMap<string, number>;
}

const indexes = new WeakMap<SessionRevocations, RevocationIndex>();

function indexOf(revocations: SessionRevocations): RevocationIndex {
  let index = indexes.get(revocations);
  if (!index) {
    const partners = new Map<string, number>();
    const raise = (p: string, t: number) => partners.set(p, Math.max(partners.get(p) ?? -Infinity, t));
    for (const p of revocations.partners ?? []) raise(p, Infinity);
    for (const { partner, issuedBefore } of revocations.partnersIssuedBefore ?? []) {
      const t = Date.parse(issuedBefore);
      raise(partner, Number.isNaN(t) ? Infinity : t);
    }
    index = { sessions: new Set(revocations.sessions ?? []), partners };
    indexes.set(revocations, index);
  }
  return index;
}

/**
 * True when `subject` is revoked. Lookups are O(1): the list is indexed once per object
 * (snapshots are immutable and swapped whole, so a new list is a new object). An
 * `issuedBefore` that does not parse revokes all of that partner's sessions (fail closed;
 * validate with `sessionRevocationsSchema` to rule it out).
 */
export function isRevoked(revocations: SessionRevocations | undefined, subject: RevocationSubject): boolean {
  if (!revocations) return false;
  const index = indexOf(revocations);
  if (index.sessions.size > 0 && index.sessions.has(subject.sessionId)) return true;
  if (subject.partner === undefined || index.partners.size === 0) return false;
  const before = index.partners.get(subject.partner);
  return before !== undefined && subject.issuedAtMs < before;
}
