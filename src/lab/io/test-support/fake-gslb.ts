// A stand-in for the GSLB (built elsewhere): answers A queries on 127.0.0.1 with whatever
// the test decides, and records the ECS subnet of each query. For lab tests only.
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface FakeGslbAnswer {
  readonly addresses: readonly string[];
  readonly ttlSeconds: number;
}

export interface FakeGslb {
  readonly port: number;
  /** ECS subnets seen (`198.51.100.0/24`), one per query, in order. */
  readonly subnets: string[];
  close(): Promise<void>;
}

/** Starts a fake authoritative server; `answer` picks the reply for each query's ECS subnet. */
export async function startFakeGslb(
  answer: (subnet: string | undefined) => FakeGslbAnswer,
): Promise<FakeGslb> {
  const socket = createSocket('udp4');
  const subnets: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const opt = q.additionals?.find((r) => r.type === 'OPT') as
      | { options?: Array<{ code: number; ip?: string; sourcePrefixLength?: number }> }
      | undefined;
    const ecs = opt?.options?.find((o) => o.code === 8);
    const subnet = ecs ? `${ecs.ip}/${ecs.sourcePrefixLength}` : undefined;
    if (subnet) subnets.push(subnet);
    const a = answer(subnet);
    const name = q.questions?.[0]?.name ?? '';
    const reply = dnsPacket.encode({
      type: 'response',
      id: q.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: q.questions ?? [],
      answers: a.addresses.map((data) => ({ type: 'A' as const, name, ttl: a.ttlSeconds, data })),
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return {
    port: socket.address().port,
    subnets,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}
