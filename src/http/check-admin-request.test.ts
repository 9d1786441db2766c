import { describe, expect, it } from 'vitest';
import { type AdminRequestFacts, checkAdminRequest } from './check-admin-request.js';

const TOKEN = 'admin-token-0123456789';
const good: AdminRequestFacts = {
  method: 'POST',
  host: '127.0.0.1:8054',
  origin: undefined,
  fetchSite: undefined,
  contentType: 'application/json',
  authorization: undefined,
};

describe('checkAdminRequest', () => {
  it.each<[string, Partial<AdminRequestFacts>]>([
    ['a JSON POST from curl', {}],
    ['a GET without a content type', { method: 'GET', contentType: undefined }],
    ['localhost', { host: 'localhost:8054' }],
    ['LOCALHOST without a port', { host: 'LOCALHOST' }],
    ['another IPv4 literal (no DNS name, so no rebinding)', { host: '10.1.2.3:8054' }],
    ['an IPv6 literal', { host: '[::1]:8054' }],
    ['JSON with a charset', { contentType: 'Application/JSON; charset=utf-8' }],
    ['its own origin', { origin: 'http://127.0.0.1:8054', fetchSite: 'same-origin' }],
    ['a typed-in URL', { method: 'GET', fetchSite: 'none' }],
    ['a DELETE with JSON', { method: 'DELETE' }],
  ])('accepts %s', (_what, facts) => {
    expect(checkAdminRequest({ ...good, ...facts }, {})).toEqual({ ok: true });
  });

  it.each<[string, Partial<AdminRequestFacts>, number, string]>([
    ['no Host', { host: undefined }, 403, 'host-not-allowed'],
    ['a DNS name (rebinding)', { host: 'attacker.example:8054' }, 403, 'host-not-allowed'],
    ['a name ending in localhost', { host: 'localhost.attacker.example' }, 403, 'host-not-allowed'],
    ['a garbled Host', { host: '127.0.0.1:80:80' }, 403, 'host-not-allowed'],
    ['a foreign Origin', { origin: 'http://attacker.example' }, 403, 'origin-not-allowed'],
    ['Origin null', { origin: 'null' }, 403, 'origin-not-allowed'],
    ['another port as Origin', { origin: 'http://127.0.0.1:3000' }, 403, 'origin-not-allowed'],
    ['a cross-site fetch', { fetchSite: 'cross-site', origin: undefined }, 403, 'cross-site-request'],
    ['a same-site page', { fetchSite: 'same-site' }, 403, 'cross-site-request'],
    ['a text/plain POST', { contentType: 'text/plain' }, 415, 'unsupported-media-type'],
    ['a form POST', { contentType: 'application/x-www-form-urlencoded' }, 415, 'unsupported-media-type'],
    ['a POST without a content type', { contentType: undefined }, 415, 'unsupported-media-type'],
    [
      'a PUT of json-ish text',
      { method: 'PUT', contentType: 'application/jsonx' },
      415,
      'unsupported-media-type',
    ],
    ['a DELETE without JSON', { method: 'DELETE', contentType: undefined }, 415, 'unsupported-media-type'],
    ['a PATCH without JSON', { method: 'PATCH', contentType: 'text/plain' }, 415, 'unsupported-media-type'],
  ])('refuses %s', (_what, facts, status, code) => {
    expect(checkAdminRequest({ ...good, ...facts }, {})).toMatchObject({ ok: false, status, code });
  });

  it('takes a DNS name that is on the allow-list, with or without its port', () => {
    const policy = { allowedHosts: ['admin.internal', 'dns.example:8443'] };
    expect(checkAdminRequest({ ...good, host: 'Admin.Internal:8054' }, policy).ok).toBe(true);
    expect(checkAdminRequest({ ...good, host: 'dns.example:8443' }, policy).ok).toBe(true);
    expect(checkAdminRequest({ ...good, host: 'dns.example:9999' }, policy).ok).toBe(false);
    expect(
      checkAdminRequest({ ...good, host: 'admin.internal', origin: 'https://admin.internal' }, policy).ok,
    ).toBe(true);
  });

  it('requires the bearer token when one is set, after Host and Origin', () => {
    const policy = { token: TOKEN };
    expect(checkAdminRequest(good, policy)).toMatchObject({ ok: false, status: 401, code: 'unauthorized' });
    expect(
      checkAdminRequest({ ...good, authorization: `Bearer ${TOKEN.slice(0, -1)}` }, policy),
    ).toMatchObject({ status: 401 });
    expect(checkAdminRequest({ ...good, authorization: `Bearer ${TOKEN}` }, policy)).toEqual({ ok: true });
    expect(
      checkAdminRequest({ ...good, host: 'attacker.example', authorization: `Bearer ${TOKEN}` }, policy),
    ).toMatchObject({ status: 403 });
  });
});
