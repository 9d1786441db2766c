// A fake GSLB program for lab tests: answers every A query with FAKE_GSLB_ADDRESSES (comma
// separated, in order) and TTL FAKE_GSLB_TTL, listens on MERIDIAN_DNS_PORT (0: any), reports
// `{ type: 'ready', dnsPort }` over IPC and exits when its parent goes away.
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

const addresses = (process.env.FAKE_GSLB_ADDRESSES ?? '').split(',').filter(Boolean);
const ttl = Number(process.env.FAKE_GSLB_TTL ?? '1');
const socket = createSocket('udp4');
socket.on('message', (msg, rinfo) => {
  const q = dnsPacket.decode(msg);
  const name = q.questions?.[0]?.name ?? '';
  const reply = dnsPacket.encode({
    type: 'response',
    id: q.id ?? 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: q.questions ?? [],
    answers: addresses.map((data) => ({ type: 'A', name, ttl, data })),
  });
  socket.send(reply, rinfo.port, rinfo.address);
});
socket.bind(Number(process.env.MERIDIAN_DNS_PORT ?? '0'), '127.0.0.1', () => {
  process.send?.({ type: 'ready', dnsPort: socket.address().port });
});
process.on('disconnect', () => process.exit(0));
