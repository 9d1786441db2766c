// The text form of a key ring, shared by the key file and the environment variable.
import { MeridianError } from '../core/index.js';
import { createSessionKeyRing, type SessionKeyInput, type SessionKeyRing } from './session-key-ring.js';

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Parses the key ring text. Entries are separated by newlines or `;`; `#` starts a comment:
 *
 *     active 2
 *     key 1 <base64 or base64url of ≥ 32 random bytes>
 *     key 2 <…>
 *
 * Throws MERIDIAN_SESSION_BAD_KEYS naming `source` and the entry number; never echoes a secret.
 */
export function parseSessionKeys(text: string, source: string): SessionKeyRing {
  const keys: SessionKeyInput[] = [];
  let active: number | undefined;
  const entries = text.split(/[\n;]/);
  entries.forEach((raw, i) => {
    const entry = raw.replace(/#.*$/, '').trim();
    if (entry === '') return;
    const where = `${source}, entry ${i + 1}`;
    const words = entry.split(/\s+/);
    const id = Number(words[1]);
    const idOk = /^\d{1,3}$/.test(words[1] ?? '') && id <= 255;
    if (words[0] === 'active' && words.length === 2) {
      if (!idOk) throw bad(`${where}: "active" needs a key id from 0 to 255`);
      if (active !== undefined) throw bad(`${where}: "active" appears twice`);
      active = id;
    } else if (words[0] === 'key' && words.length === 3) {
      if (!idOk) throw bad(`${where}: key id must be a whole number from 0 to 255`);
      const secretText = words[2] as string;
      if (!BASE64.test(secretText) || secretText.replace(/=+$/, '').length % 4 === 1) {
        throw bad(`${where}: the secret of key ${id} is not base64 or base64url`);
      }
      keys.push({
        id,
        secret: new Uint8Array(
          Buffer.from(
            secretText.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')),
            'base64',
          ),
        ),
      });
    } else {
      throw bad(
        `${where}: expected "active <id>" or "key <id> <base64 secret>" (got ${JSON.stringify(words[0])} with ${words.length - 1} words after it)`,
      );
    }
  });
  if (keys.length === 0) throw bad(`${source}: no "key <id> <secret>" entries`);
  if (active === undefined) {
    if (keys.length !== 1)
      throw bad(`${source}: several keys but no "active <id>" line saying which one issues`);
    active = (keys[0] as SessionKeyInput).id;
  }
  try {
    return createSessionKeyRing({ keys, activeKeyId: active });
  } catch (err) {
    throw bad(`${source}: ${(err as Error).message}`, err);
  }
}

function bad(message: string, cause?: unknown): MeridianError {
  return new MeridianError('MERIDIAN_SESSION_BAD_KEYS', message, { cause });
}
