// The ceiling reference: a bare Node dgram responder that answers every packet with a fixed
// 74-byte answer (ID patched). Usage: node echo-server.mjs PORT
import { createSocket } from 'node:dgram';

const port = Number(process.argv[2] ?? 15306);
const answer = Buffer.from(
  '0000848000010001000000000563696e6b73076578616d706c6504746573740000010001c00c000100010000001e00047f000101',
  'hex',
);
const s = createSocket('udp4');
s.on('message', (m, r) => {
  if (m.length < 2) return;
  const out = Buffer.from(answer);
  out[0] = m[0];
  out[1] = m[1];
  s.send(out, r.port, r.address);
});
s.bind(port, '127.0.0.1');
