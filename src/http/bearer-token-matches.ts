// Compares an Authorization header with the admin token in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * True when `authorization` is `Bearer <token>` (scheme case-insensitive). Both sides are hashed
 * first, so the comparison takes the same time whatever the header's length or content.
 */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const header = authorization ?? '';
  const given = /^bearer /i.test(header) ? header.slice(7) : '';
  // Hash even when the scheme is wrong, so a wrong scheme is not faster than a wrong token.
  const same = timingSafeEqual(digest(given), digest(token));
  return same && given.length > 0;
}
