// What a listener calls for each message: the current snapshot's answer, and where errors go.
import type { ClientAddress } from './answer.js';
import type { DnsQuery } from './dns-query.js';

export interface DnsHandler {
  /** The response to `packet`, or null to send nothing. Must not throw on any input. */
  handle(q: DnsQuery, packet: Buffer, client: ClientAddress, transport: 'udp' | 'tcp'): Buffer | null;
  /** A bug or a socket error; logged, never fatal. */
  onError(err: unknown): void;
}
