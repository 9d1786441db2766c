// The one admin-token policy every Meridian admin API uses: at least 16 visible ASCII characters,
// surrounding whitespace (a token file's newline) trimmed; anything else refused at start.
import { MeridianError } from '../core/index.js';

/** The shortest admin token accepted. */
export const ADMIN_TOKEN_MIN_CHARS = 16;
/** The longest admin token accepted (it travels in a header). */
export const ADMIN_TOKEN_MAX_CHARS = 1024;

const HOW = 'generate one with `openssl rand -base64 32` (or `head -c 32 /dev/urandom | base64`)';

/**
 * The token in `text` with surrounding whitespace trimmed. Throws
 * `MERIDIAN_HTTP_ADMIN_TOKEN_INVALID` naming `source` (e.g. `MERIDIAN_ADMIN_TOKEN`,
 * `--admin-token-file /etc/meridian/token`) when it is empty, shorter than
 * ADMIN_TOKEN_MIN_CHARS, longer than ADMIN_TOKEN_MAX_CHARS, or has a character that is not
 * visible ASCII (a space inside, a control character, non-ASCII).
 */
export function parseAdminToken(text: string, source: string): string {
  const token = text.trim();
  const refuse = (what: string): never => {
    throw new MeridianError(
      'MERIDIAN_HTTP_ADMIN_TOKEN_INVALID',
      `${source}: the admin token ${what}; it needs ${ADMIN_TOKEN_MIN_CHARS} to ${ADMIN_TOKEN_MAX_CHARS} visible ASCII characters without spaces: ${HOW}`,
    );
  };
  if (token === '') refuse(text === '' ? 'is empty' : 'is only whitespace');
  if (!/^[\x21-\x7e]*$/.test(token)) refuse('has a space, a control or a non-ASCII character');
  if (token.length < ADMIN_TOKEN_MIN_CHARS)
    refuse(`is ${token.length} character${token.length === 1 ? '' : 's'} long`);
  if (token.length > ADMIN_TOKEN_MAX_CHARS) refuse(`is ${token.length} characters long`);
  return token;
}
