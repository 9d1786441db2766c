// Validation of the POST /v1/sessions body and the Authorization header, shared by both modes.
import { PARTNER_ID_PATTERN } from './links-config.js';

export const MAX_SESSION_ID_CHARS = 512;
export const MAX_DEVICE_CHARS = 64;
const DEVICE_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** `{partnerId, device}` from an untrusted JSON body. */
export function parseSessionRequest(body: unknown): Parsed<{ partnerId: string; device: string }> {
  if (!isObject(body))
    return { ok: false, code: 'invalid-body', message: 'expected a JSON object {partnerId, device}' };
  const { partnerId, device } = body;
  if (typeof partnerId !== 'string' || !PARTNER_ID_PATTERN.test(partnerId)) {
    return { ok: false, code: 'invalid-partner-id', message: 'partnerId must be 1…64 of a-z, 0-9 and "-"' };
  }
  if (typeof device !== 'string' || !DEVICE_PATTERN.test(device)) {
    return {
      ok: false,
      code: 'invalid-device',
      message: `device must be 1…${MAX_DEVICE_CHARS} of A-Z a-z 0-9 . _ : -`,
    };
  }
  return { ok: true, value: { partnerId, device } };
}

/** The session ID from `Authorization: Session <id>`. */
export function parseSessionHeader(header: string | undefined): Parsed<string> {
  if (
    typeof header !== 'string' ||
    !header.startsWith('Session ') ||
    header.length > 8 + MAX_SESSION_ID_CHARS
  ) {
    return { ok: false, code: 'invalid-session', message: 'send Authorization: Session <sessionId>' };
  }
  const id = header.slice(8).trim();
  return id ? { ok: true, value: id } : { ok: false, code: 'invalid-session', message: 'empty session ID' };
}

/** `{destination}` (a string, checked later against the partner) from an untrusted JSON body. */
export function parseLinkRequest(body: unknown): Parsed<string> {
  if (!isObject(body) || typeof body.destination !== 'string') {
    return { ok: false, code: 'invalid-body', message: 'expected a JSON object {destination}' };
  }
  return { ok: true, value: body.destination };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
