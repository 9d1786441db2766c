import { describe, expect, it } from 'vitest';
import { partnerSchema } from './links-config.js';

const base = { id: 'acme', name: 'Acme', allowedHosts: ['shop.example'], rateLimitRps: 5, active: true };

describe('partner link templates', () => {
  it.each([
    ['https://links.example.test/l/{token}', true],
    ['http://127.0.0.1:8080/l/{token}', true],
    ['https://{partnerId}.{region}.links.example.test/l/{token}', true],
    ['https://links.example.test/acme/l/{token}', false],
    ['https://links.example.test/l/{token}?x=1', false],
    ['https://user@links.example.test/l/{token}', false],
    ['ftp://links.example.test/l/{token}', false],
    ['/l/{token}', false],
  ])('%s → %s', (linkTemplate, ok) => {
    expect(partnerSchema.safeParse({ ...base, linkTemplate }).success).toBe(ok);
  });

  it.each([['*.shop.example'], ['shop.example']])('accepts host pattern %s', (host) => {
    expect(
      partnerSchema.safeParse({ ...base, linkTemplate: 'https://l.example/l/{token}', allowedHosts: [host] })
        .success,
    ).toBe(true);
  });

  it.each([['https://shop.example'], ['shop.*.example'], ['Shop.Example']])(
    'refuses host pattern %s',
    (host) => {
      expect(
        partnerSchema.safeParse({
          ...base,
          linkTemplate: 'https://l.example/l/{token}',
          allowedHosts: [host],
        }).success,
      ).toBe(false);
    },
  );
});
