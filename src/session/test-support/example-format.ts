// A representative session row and fixed keys shared by the session tests.
import { ManualClock } from '../../core/index.js';
import { createSessionCodec, type SessionCodecOptions } from '../session-codec.js';
import { field } from '../session-field.js';
import { defineSessionFormat, type SessionMode } from '../session-format.js';
import { createSessionKeyRing } from '../session-key-ring.js';

export const secret1 = new Uint8Array(32).map((_, i) => i + 1);
export const secret2 = new Uint8Array(32).map((_, i) => 200 - i);

export const exampleFields = {
  partner: field.uint({ max: 2 ** 32 - 1 }),
  createdAt: field.timestamp(),
  device: field.enum(['web', 'ios', 'android']),
  flags: field.flags(['beta', 'staff']),
  region: field.string({ maxBytes: 16 }),
  user: field.bytes({ length: 8 }),
} as const;

export const exampleRow = {
  partner: 12345,
  createdAt: Date.UTC(2026, 0, 1),
  device: 'ios',
  flags: { beta: true, staff: false },
  region: 'eu-west-2',
  user: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
} as const;

export function exampleFormat(mode: SessionMode = 'mac') {
  return defineSessionFormat({ fields: exampleFields, mode, partnerField: 'partner' });
}

export function exampleCodec(
  mode: SessionMode = 'mac',
  overrides: Partial<SessionCodecOptions> & { clock?: ManualClock } = {},
) {
  const clock = overrides.clock ?? new ManualClock(Date.UTC(2026, 5, 1));
  const keys =
    overrides.keys ??
    createSessionKeyRing({
      keys: [
        { id: 1, secret: secret1 },
        { id: 2, secret: secret2 },
      ],
      activeKeyId: 1,
    });
  const codec = createSessionCodec(exampleFormat(mode), { clockSkewSeconds: 0, ...overrides, keys, clock });
  return { codec, clock, keys };
}
