// Sends batches to home's ingest over HTTP with undici, each signed with the region's key
// (decision 0015); every failure becomes a value.
import { Pool } from 'undici';
import { type Clock, regionSender, signRequest, systemClock } from '../../core/index.js';
import type { IngestTransport, SendResult } from '../ingest-transport.js';
import { INGEST_WIRE_VERSION, parseIngestAck } from '../ingest-wire.js';

export interface HttpIngestTransportOptions {
  /** Home's ingest endpoint, e.g. `http://127.0.0.1:7000/v1/ingest`. */
  readonly url: string;
  /** This region's name: it signs as `region:<name>` and sends only its own events. */
  readonly region: string;
  /** This region's key (home's `region-keys/<name>.key`, `deriveSenderKey(secret, 'region:<name>')`). */
  readonly key: Uint8Array;
  /** Wall time of each signature (default the system clock). */
  readonly clock?: Clock;
  /** Whole-request deadline (headers and body). */
  readonly timeoutMs?: number;
  readonly connections?: number;
}

/** undici-backed transport; the connection pool is created on first use. */
export class HttpIngestTransport implements IngestTransport {
  readonly #url: URL;
  readonly #options: HttpIngestTransportOptions;
  #pool: Pool | null = null;

  constructor(options: HttpIngestTransportOptions) {
    this.#url = new URL(options.url);
    this.#options = options;
  }

  async send(body: string, events: number): Promise<SendResult> {
    this.#pool ??= new Pool(this.#url.origin, {
      connections: this.#options.connections ?? 2,
      keepAliveTimeout: 10_000,
    });
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const path = this.#url.pathname + this.#url.search;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'meridian-ingest-version': INGEST_WIRE_VERSION,
      // Signed at each attempt: a retry after a long outage carries a fresh timestamp.
      ...signRequest({
        key: this.#options.key,
        sender: regionSender(this.#options.region),
        method: 'POST',
        path,
        body,
        nowMs: (this.#options.clock ?? systemClock).now(),
      }),
    };
    let status: number;
    let text: string;
    try {
      const res = await this.#pool.request({
        path,
        method: 'POST',
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const reason = code.includes('TIMEOUT') ? 'timeout' : 'unreachable';
      return { ok: false, reason, detail: `${code} ${(err as Error).message}`.trim() };
    }
    if (status !== 200) return { ok: false, reason: `http-${status}`, detail: text.slice(0, 500) };
    let decoded: unknown;
    try {
      decoded = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'bad-ack', detail: 'response is not JSON' };
    }
    const parsed = parseIngestAck(decoded, events);
    return parsed.ok ? parsed : { ok: false, reason: 'bad-ack', detail: parsed.reason };
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.close();
  }
}
