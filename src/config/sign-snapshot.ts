// Home's side of the envelope: snapshot -> signed envelope bytes.
import { type KeyObject, sign } from 'node:crypto';
import { type ConfigSnapshot, ENVELOPE_FORMAT, type SnapshotEnvelope, signingInput } from './snapshot.js';

/** Signs `snapshot` with an Ed25519 private key; returns the envelope as UTF-8 JSON bytes. */
export function signSnapshot(snapshot: ConfigSnapshot<unknown>, privateKey: KeyObject): Buffer {
  const payload = Buffer.from(JSON.stringify(snapshot), 'utf8');
  const signature = sign(null, signingInput(payload), privateKey);
  const envelope: SnapshotEnvelope = {
    format: ENVELOPE_FORMAT,
    payload: payload.toString('base64'),
    signature: signature.toString('base64'),
  };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}
