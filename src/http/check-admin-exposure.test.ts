import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { checkAdminExposure } from './check-admin-exposure.js';

describe('checkAdminExposure', () => {
  it.each(['127.0.0.1', '127.3.4.5', 'localhost', '::1'])('lets %s serve without a token', (host) => {
    expect(checkAdminExposure({ host, token: undefined, what: 'the admin API' })).toBeUndefined();
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', 'admin.example.com', '', '::ffff:10.0.0.5'])(
    'refuses %s without a token',
    (host) => {
      let err: unknown;
      try {
        checkAdminExposure({ host, token: undefined, what: 'home' });
      } catch (x) {
        err = x;
      }
      expect(isMeridianError(err, 'MERIDIAN_HTTP_ADMIN_UNSAFE')).toBe(true);
      expect((err as Error).message).toMatch(/MERIDIAN_ADMIN_TOKEN/);
    },
  );

  it('checks a given token with the shared policy, on loopback too', () => {
    expect(() => checkAdminExposure({ host: '127.0.0.1', token: ' ', what: 'x' })).toThrow(/admin token/);
    expect(checkAdminExposure({ host: '0.0.0.0', token: ' 0123456789abcdef\n', what: 'x' })).toBe(
      '0123456789abcdef',
    );
  });
});
