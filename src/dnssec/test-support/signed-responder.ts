// A minimal authoritative responder for tests of this module against real validators (delv,
// unbound): it serves a tiny zone signed with this module's keys, records and denial, so the
// signatures are checked by someone else's code. The product's server is `meridian dns`.
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { canonicalName } from '../canonical-name.js';
import { nodataNsecRdata, nxnameNsecRdata, TYPE_NSEC, TYPE_RRSIG } from '../compact-denial.js';
import type { DnssecKey } from '../dnssec-key.js';
import type { RrsetToSign } from '../sign-rrset.js';
import { SignatureCache } from '../signature-cache.js';

const TYPE = { A: 1, SOA: 6, TXT: 16, DNSKEY: 48 } as const;

export interface SignedResponder {
  readonly port: number;
  /** Flips one byte of every signature from now on (to prove validators notice). */
  corruptSignatures(): void;
  stop(): Promise<void>;
}

function rrBytes(owner: Buffer, type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, head, rdata]);
}

/** Serves `apex` with `links.<apex>` A records, signed by `key`, on 127.0.0.1 (port 0). */
export async function startSignedResponder(
  apex: string,
  key: DnssecKey,
  addresses: string[],
): Promise<SignedResponder> {
  const signer = canonicalName(apex);
  const cache = new SignatureCache();
  let corrupt = false;
  const soa = Buffer.concat([
    canonicalName(`ns1.${apex}`),
    canonicalName(`hostmaster.${apex}`),
    Buffer.from([0, 0, 0, 1, 0, 0, 0x0e, 0x10, 0, 0, 0x03, 0x84, 0, 0x09, 0x3a, 0x80, 0, 0, 0, 60]),
  ]);
  const links = canonicalName(`links.${apex}`);
  const zone = new Map<string, Map<number, RrsetToSign>>();
  const put = (owner: Buffer, type: number, ttl: number, rdatas: Buffer[]) => {
    const byType = zone.get(owner.toString('latin1')) ?? new Map<number, RrsetToSign>();
    byType.set(type, { owner, type, ttl, rdatas });
    zone.set(owner.toString('latin1'), byType);
  };
  put(signer, TYPE.SOA, 300, [soa]);
  put(signer, TYPE.DNSKEY, 300, [key.dnskeyRdata]);
  put(
    links,
    TYPE.A,
    30,
    addresses.map((a) => Buffer.from(a.split('.').map(Number))),
  );

  const signed = (rrset: RrsetToSign): Buffer[] => {
    let sig = cache.rrsig(rrset, key, signer, Math.floor(Date.now() / 1000));
    if (corrupt) {
      sig = Buffer.from(sig);
      sig[sig.length - 1]! ^= 0xff;
    }
    return [
      ...rrset.rdatas.map((r) => rrBytes(rrset.owner, rrset.type, rrset.ttl, r)),
      rrBytes(rrset.owner, TYPE_RRSIG, rrset.ttl, sig),
    ];
  };

  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    let q: dnsPacket.DecodedPacket;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (!question) return;
    const owner = canonicalName(question.name);
    const qtype = msg.readUInt16BE(12 + owner.length);
    const node = zone.get(owner.toString('latin1'));
    const answer: Buffer[] = [];
    const authority: Buffer[] = [];
    const rrset = node?.get(qtype);
    if (rrset) answer.push(...signed(rrset));
    else {
      authority.push(...signed(zone.get(signer.toString('latin1'))!.get(TYPE.SOA)!));
      const nsec = node ? nodataNsecRdata(owner, node.keys()) : nxnameNsecRdata(owner);
      authority.push(...signed({ owner, type: TYPE_NSEC, ttl: 60, rdatas: [nsec] }));
    }
    const head = Buffer.alloc(12);
    head.writeUInt16BE(q.id ?? 0, 0);
    head.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100), 2); // QR AA, RD copied
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(answer.length - (rrset ? 0 : 0), 6);
    head.writeUInt16BE(authority.length, 8);
    head.writeUInt16BE(1, 10);
    const questionBytes = msg.subarray(12, 12 + owner.length + 4);
    const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]); // EDNS 1232, DO
    socket.send(
      Buffer.concat([head, questionBytes, ...answer, ...authority, opt]),
      rinfo.port,
      rinfo.address,
    );
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return {
    port: socket.address().port,
    corruptSignatures: () => {
      corrupt = true;
    },
    stop: () => new Promise((r) => socket.close(() => r())),
  };
}
