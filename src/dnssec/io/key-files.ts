// DNSSEC keys on disk, in the BIND naming convention: `K<zone>.+013+<tag>.key` holds the public
// DNSKEY line (safe to share), `K<zone>.+013+<tag>.private` the PKCS#8 PEM private key (mode
// 0600). Existing files are never overwritten.
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeridianError } from '../../core/index.js';
import { type DnssecKey, dnssecKey, FLAGS_ZSK, type KeyRole } from '../dnssec-key.js';

export interface KeyFilePaths {
  readonly publicFile: string;
  readonly privateFile: string;
}

/** The base name of a key's files: `Kexample.test.+013+12345`. */
export function keyFileBase(zone: string, key: DnssecKey): string {
  const owner = zone.endsWith('.') ? zone : `${zone}.`;
  return `K${owner.toLowerCase()}+013+${String(key.keyTag).padStart(5, '0')}`;
}

/** The public line: `example.test. IN DNSKEY 257 3 13 <base64> ; csk`. */
export function dnskeyLine(zone: string, key: DnssecKey): string {
  const owner = zone.endsWith('.') ? zone : `${zone}.`;
  return `${owner.toLowerCase()} IN DNSKEY ${key.flags} 3 13 ${key.dnskeyRdata.subarray(4).toString('base64')} ; ${key.role}, key tag ${key.keyTag}`;
}

/** Writes both files into `dir` (created if needed); refuses to replace a file that exists. */
export function writeKeyFiles(dir: string, zone: string, key: DnssecKey): KeyFilePaths {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, keyFileBase(zone, key));
  const publicFile = `${base}.key`;
  const privateFile = `${base}.private`;
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    writeFileSync(privateFile, pem, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicFile, `${dnskeyLine(zone, key)}\n`, { flag: 'wx' });
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_DNSSEC_KEY_WRITE',
      `cannot write ${base}.{key,private}: ${(err as Error).message} (a key file is never replaced; remove it or choose another --dir)`,
      { cause: err },
    );
  }
  return { publicFile, privateFile };
}

/** Reads a key from its `.private` file; the role comes from its `.key` line (`; csk|ksk|zsk`). */
export function readKeyFile(privateFile: string): DnssecKey {
  const base = privateFile.replace(/\.private$/, '');
  let pem: string;
  let line: string;
  try {
    pem = readFileSync(`${base}.private`, 'utf8');
    line = readFileSync(`${base}.key`, 'utf8');
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_DNSSEC_KEY_READ',
      `cannot read the key ${base}.{key,private}: ${(err as Error).message} (create one with \`meridian dnssec keygen ZONE\`)`,
      { cause: err },
    );
  }
  const role = /;\s*(csk|ksk|zsk)\b/.exec(line)?.[1] as KeyRole | undefined;
  const flags = Number(/\bDNSKEY\s+(\d+)\s/.exec(line)?.[1]);
  try {
    const key = dnssecKey(createPrivateKey(pem), role ?? (flags === FLAGS_ZSK ? 'zsk' : 'csk'));
    return key;
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_DNSSEC_KEY_READ',
      `${base}.private is not an ECDSA P-256 private key in PEM: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Every key in `dir` (`K*.private`), sorted by file name. */
export function readKeyDir(dir: string): DnssecKey[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_DNSSEC_KEY_READ',
      `cannot list the key directory ${dir}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return names
    .filter((n) => /^K.*\.private$/.test(n))
    .sort()
    .map((n) => readKeyFile(join(dir, n)));
}
