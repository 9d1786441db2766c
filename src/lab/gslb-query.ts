// DNS wire format for a simulated user: an A query carrying an EDNS Client Subnet option, and
// the decoded answer (addresses in answer order, the TTL to honour).
import dnsPacket from 'dns-packet';
import type { IpPrefix } from '../core/index.js';
import { formatPrefix } from '../core/index.js';

/** Encodes an A query for `name` with ECS set to the client's subnet. */
export function encodeGslbQuery(id: number, name: string, subnet: IpPrefix): Buffer {
  const [address] = formatPrefix(subnet).split('/');
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name, class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: 1232,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [
          {
            code: 8, // CLIENT_SUBNET
            family: subnet.family === 6 ? 2 : 1,
            sourcePrefixLength: subnet.length,
            scopePrefixLength: 0,
            ip: address!,
          },
        ],
      },
    ],
  });
}

export type GslbAnswer =
  | {
      readonly ok: true;
      readonly id: number;
      readonly addresses: readonly string[];
      readonly ttlSeconds: number;
    }
  | { readonly ok: false; readonly id: number; readonly reason: string };

/** Decodes a response: the A records for the question (CNAMEs followed), minimum TTL. */
export function decodeGslbAnswer(message: Buffer): GslbAnswer {
  let packet: dnsPacket.DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    return { ok: false, id: -1, reason: 'malformed' };
  }
  const id = packet.id ?? -1;
  const rcode = (packet as { rcode?: string }).rcode ?? 'NOERROR';
  if (rcode !== 'NOERROR') return { ok: false, id, reason: `rcode-${rcode.toLowerCase()}` };
  const a = (packet.answers ?? []).filter((r) => r.type === 'A');
  if (a.length === 0) return { ok: false, id, reason: 'no-answer' };
  const ttlSeconds = Math.min(...a.map((r) => (r as { ttl?: number }).ttl ?? 0));
  return { ok: true, id, addresses: a.map((r) => String((r as { data?: unknown }).data)), ttlSeconds };
}
