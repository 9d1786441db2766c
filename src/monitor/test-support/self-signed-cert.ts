// Test support: a self-signed certificate for a host name, made with the openssl CLI in a temp dir.
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCert {
  readonly certPem: string;
  readonly keyPem: string;
  /** The certificate's PEM file (usable as a CA file: it is its own issuer). */
  readonly certFile: string;
  /** Lowercase hex SHA-256 of the certificate's DER bytes. */
  readonly sha256: string;
  /** The same as `openssl x509 -fingerprint -sha256` prints it (`AB:CD:…`). */
  readonly fingerprint: string;
  remove(): void;
}

/** A P-256 certificate for `hostname` (its subjectAltName), valid for two days. */
export function selfSignedCert(hostname: string): SelfSignedCert {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-cert-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${hostname}`,
      '-addext',
      `subjectAltName=DNS:${hostname}`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `openssl could not make a certificate (apt-get install -y openssl): ${r.stderr ?? r.error}`,
    );
  }
  const certPem = readFileSync(certFile, 'utf8');
  const x509 = new X509Certificate(certPem);
  return {
    certPem,
    keyPem: readFileSync(keyFile, 'utf8'),
    certFile,
    sha256: createHash('sha256').update(x509.raw).digest('hex'),
    fingerprint: x509.fingerprint256,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
