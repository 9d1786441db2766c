// Finding 2 of issue 17: one UDP query from source port 0 at `meridian dns --udp-io dgram|batch`.
// The datagram is forged with a raw socket (python3, needs root or CAP_NET_RAW), then a normal
// query checks that the server still answers. Prints whether the process survived and the
// meridian_dns_udp_dropped_total counters.
// Run: npm run build && sudo npx tsx bench/dns-abuse/udp-port-zero.ts [dgram|batch]
import { execFileSync, execSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { startMeridianDns, tcpQuery } from './meridian-dns-process.js';

const io = process.argv[2] ?? 'dgram';
const dns = await startMeridianDns(['--udp-io', io]);
const query = tcpQuery(0x5a5a, 'links.example.test', 1).subarray(2);
console.log(
  `meridian dns --udp-io ${io}, pid ${dns.pid}, 127.0.0.1:${dns.dnsPort}; ${execSync('uptime').toString().trim()}`,
);

// UDP header (source port 0, checksum 0 = none, allowed on IPv4) + the query, on a raw socket
execFileSync('python3', [
  '-c',
  `import socket, struct, sys
q = bytes.fromhex(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
s.sendto(struct.pack('!HHHH', 0, int(sys.argv[1]), 8 + len(q), 0) + q, ('127.0.0.1', 0))`,
  String(dns.dnsPort),
  query.toString('hex'),
]);

// then an ordinary query from an ordinary port, up to 5 tries
const sock = createSocket('udp4');
await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
let answered = false;
sock.on('message', (m) => {
  if (m.readUInt16BE(0) === 0x5a5a) answered = true;
});
for (let i = 0; i < 5 && !answered; i++) {
  sock.send(query, dns.dnsPort, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 500));
}
sock.close();
const alive = (() => {
  try {
    process.kill(dns.pid, 0);
    return true;
  } catch {
    return false;
  }
})();
const metrics = alive ? await dns.metrics('meridian_dns_udp') : [];
if (!alive) console.log(`meridian dns died:\n${dns.stderrTail()}`);
await dns.stop();
console.log(JSON.stringify({ io, alive, answeredAfterward: answered, metrics }, null, 2));
