import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/core/index.js';
import {
  createSessionCodec,
  createSessionKeyRing,
  defineSessionFormat,
  field,
} from '../../src/session/index.js';

const fmt = defineSessionFormat({
  fields: {
    partner: field.uint(),
    createdAt: field.timestamp(),
    device: field.enum(['web', 'ios', 'android']),
    flags: field.flags(['beta', 'staff']),
    region: field.string({ maxBytes: 16 }),
  },
  partnerField: 'partner',
});
const keys = createSessionKeyRing({ keys: [{ id: 1, secret: randomBytes(32) }], activeKeyId: 1 });
const c = createSessionCodec(fmt, { keys, clock: systemClock });
const row = {
  partner: 12345,
  createdAt: Date.now(),
  device: 'ios',
  flags: { beta: true, staff: false },
  region: 'eu-west-2',
} as const;
const id = c.issue(row, { ttlSeconds: 3600 });
for (let k = 0; k < 3; k++) {
  const n = 1000000;
  const t = performance.now();
  for (let i = 0; i < n; i++) c.verify(id);
  console.log('verify/s', Math.round((n / (performance.now() - t)) * 1000));
}
