// Public surface of meridian/session: direct-encoded session IDs (format, keys, codec, revocation).
// Adapters (disk, network, timers, processes) are in meridian/session/io, so that importing this loads none.
export { parseSessionKeys } from './parse-session-keys.js';
export {
  createSessionCodec,
  SESSION_TAG_BYTES,
  SESSION_VERSION_AEAD,
  SESSION_VERSION_MAC,
  type SessionCodec,
  type SessionCodecOptions,
  type SessionRejection,
  type VerifiedSession,
  type VerifyResult,
} from './session-codec.js';
export { type FieldValue, field, type SessionField } from './session-field.js';
export {
  defineSessionFormat,
  type SessionFields,
  type SessionFormat,
  type SessionFormatOptions,
  type SessionMode,
  type SessionRow,
} from './session-format.js';
export {
  createSessionKeyRing,
  MIN_SESSION_SECRET_BYTES,
  type SessionKey,
  type SessionKeyInput,
  type SessionKeyRing,
} from './session-key-ring.js';
export {
  isRevoked,
  type RevocationSubject,
  type SessionRevocations,
  sessionRevocationsSchema,
} from './session-revocations.js';
