import { describe, expect, it } from 'vitest';
import { clientPrefix } from './client-prefix.js';

describe('clientPrefix', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:0:1::1', '2001:db8::/56'],
    ['2001:db8:0:ff:1:2:3:4', '2001:db8::/56'],
    ['2001:db8:0:100::1', '2001:db8:0:100::/56'],
    ['::1', '::/56'],
    ['not an address', 'not an address'],
  ])('%s is client %s', (address, client) => {
    expect(clientPrefix(address)).toBe(client);
  });
});
