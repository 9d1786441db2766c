// partner-relay's durable store: each event id is stored once; a replay is acknowledged again.
import type { Clock } from '../../../core/index.js';
import type { HomeDatabase } from '../../../workload/index.js';

export interface PartnerEvent {
  readonly eventId: string;
  readonly partnerId: string;
  readonly type: string;
  readonly payload: unknown;
}

export class PartnerEventStore {
  readonly #db: HomeDatabase;
  readonly #clock: Clock;

  constructor(db: HomeDatabase, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  /** Stores `event` unless its id is already stored; `stored` is false for a replay. */
  async record(event: PartnerEvent): Promise<{ stored: boolean; receivedAtMs: number }> {
    const now = this.#clock.now();
    const inserted = await this.#db.query(
      `INSERT INTO partner_events (event_id, partner_id, type, payload, received_at_ms) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (event_id) DO NOTHING RETURNING received_at_ms`,
      [event.eventId, event.partnerId, event.type, JSON.stringify(event.payload ?? null), now],
    );
    if (inserted.length > 0) return { stored: true, receivedAtMs: now };
    const [row] = await this.#db.query('SELECT received_at_ms FROM partner_events WHERE event_id = $1', [
      event.eventId,
    ]);
    return { stored: false, receivedAtMs: Number(row?.received_at_ms ?? now) };
  }

  async count(partnerId?: string): Promise<number> {
    const [row] = partnerId
      ? await this.#db.query('SELECT COUNT(*) AS n FROM partner_events WHERE partner_id = $1', [partnerId])
      : await this.#db.query('SELECT COUNT(*) AS n FROM partner_events');
    return Number(row?.n ?? 0);
  }
}
