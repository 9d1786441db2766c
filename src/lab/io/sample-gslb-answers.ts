// Asks the GSLB once per ECS subnet (many distinct clients) and tallies which address each
// answer names first, and which addresses appear at all: how a rollout's realised share and a
// drain are measured as counts.
import { createSocket } from 'node:dgram';
import type { IpPrefix } from '../../core/index.js';
import { decodeGslbAnswer, encodeGslbQuery } from '../gslb-query.js';

export interface GslbAnswerSample {
  /** Answers by the address they name first. */
  readonly first: Readonly<Record<string, number>>;
  /** Answers that name each address anywhere. */
  readonly anywhere: Readonly<Record<string, number>>;
  readonly answered: number;
  /** Queries with no (usable) answer within the timeout. */
  readonly failed: number;
}

export interface SampleGslbAnswersOptions {
  readonly host: string;
  readonly port: number;
  readonly hostname: string;
  readonly subnets: readonly IpPrefix[];
  /** Queries in flight at once (default 64). */
  readonly window?: number;
  /** Per query (default 2000 ms). */
  readonly timeoutMs?: number;
}

/** One query per subnet, `window` at a time; never rejects. */
export async function sampleGslbAnswers(o: SampleGslbAnswersOptions): Promise<GslbAnswerSample> {
  const first: Record<string, number> = {};
  const anywhere: Record<string, number> = {};
  let answered = 0;
  let failed = 0;
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const pending = new Map<number, { resolve: () => void; timer: NodeJS.Timeout }>();
  socket.on('message', (msg) => {
    const a = decodeGslbAnswer(msg);
    const p = pending.get(a.id);
    if (!p) return;
    pending.delete(a.id);
    clearTimeout(p.timer);
    if (a.ok && a.addresses.length > 0) {
      answered += 1;
      const f = a.addresses[0]!;
      first[f] = (first[f] ?? 0) + 1;
      for (const x of new Set(a.addresses)) anywhere[x] = (anywhere[x] ?? 0) + 1;
    } else failed += 1;
    p.resolve();
  });
  let next = 0;
  const worker = async () => {
    while (next < o.subnets.length) {
      const i = next++;
      const id = i % 65_536;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          failed += 1;
          resolve();
        }, o.timeoutMs ?? 2000);
        pending.set(id, { resolve, timer });
        socket.send(encodeGslbQuery(id, o.hostname, o.subnets[i]!), o.port, o.host);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.window ?? 64, o.subnets.length) }, worker));
  socket.close();
  return { first, anywhere, answered, failed };
}
