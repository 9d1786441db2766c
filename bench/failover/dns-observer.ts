// Watches a DNS server the way a client sees it: an A query every `periodMs` over UDP; the
// region is included when its address is in the answer. Like the peers' poll.py (dig every
// 100 ms), but at a 10 ms cadence so the poller adds little to the measured time.
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { ObservationLog, type Observer, wallNow } from './observer.js';

export class DnsObserver implements Observer {
  readonly label: string;
  readonly #log = new ObservationLog();
  #socket: Socket | null = null;
  #timer: NodeJS.Timeout | null = null;
  #id = 0;
  readonly #sentAt = new Map<number, number>();
  queries = 0;
  answers = 0;

  constructor(
    label: string,
    readonly port: number,
    readonly name: string,
    readonly address: string,
    readonly periodMs = 10,
  ) {
    this.label = label;
  }

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    this.#socket = socket;
    socket.on('message', (buf) => {
      const at = wallNow();
      let packet: dnsPacket.Packet;
      try {
        packet = dnsPacket.decode(buf);
      } catch {
        return;
      }
      if (packet.id === undefined || !this.#sentAt.delete(packet.id)) return;
      const rcode = (packet as { rcode?: string }).rcode;
      if (rcode !== undefined && rcode !== 'NOERROR') return;
      this.answers++;
      const included = (packet.answers ?? []).some((a) => a.type === 'A' && a.data === this.address);
      this.#log.observe(included, at);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const tick = () => {
      this.#send();
      this.#timer = setTimeout(tick, this.periodMs);
    };
    tick();
  }

  #send(): void {
    this.#id = (this.#id + 1) & 0xffff;
    const id = this.#id;
    this.#sentAt.set(id, wallNow());
    if (this.#sentAt.size > 1000) this.#sentAt.delete(this.#sentAt.keys().next().value!);
    const buf = dnsPacket.encode({
      type: 'query',
      id,
      flags: 0,
      questions: [{ type: 'A', name: this.name }],
    });
    this.queries++;
    this.#socket?.send(buf, this.port, '127.0.0.1');
  }

  included(): boolean | null {
    return this.#log.included();
  }

  lastFlipAtMs(): number {
    return this.#log.lastFlipAtMs();
  }

  waitFor(want: boolean, timeoutMs: number): Promise<number | null> {
    return this.#log.waitFor(want, timeoutMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const s = this.#socket;
    this.#socket = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
