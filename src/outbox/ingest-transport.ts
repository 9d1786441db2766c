// How the flusher reaches home: one call per batch, outcomes as values (never throws).
import type { IngestAck } from './ingest-wire.js';

export type SendResult =
  | { readonly ok: true; readonly ack: IngestAck }
  | {
      readonly ok: false;
      /** Short machine-friendly reason: `unreachable`, `timeout`, `http-503`, `bad-ack` … */
      readonly reason: string;
      readonly detail?: string;
    };

/** Sends one encoded batch (see `encodeIngestBatch`) holding `events` events to home. */
export interface IngestTransport {
  send(body: string, events: number): Promise<SendResult>;
  close(): Promise<void>;
}
