// The "before" picture's rows: sessions and links live in home's database and every baseline
// request reads them (and the partner) from there.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../core/index.js';
import type { HomeDatabase } from '../../../workload/index.js';

export interface BaselineSessionRow {
  readonly id: string;
  readonly partnerId: string;
  readonly device: string;
  readonly createdAtMs: number;
}

export class BaselineStore {
  readonly #db: HomeDatabase;
  readonly #clock: Clock;

  constructor(db: HomeDatabase, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async createSession(partnerId: string, device: string): Promise<BaselineSessionRow> {
    const row = {
      id: `s-${randomBytes(9).toString('base64url')}`,
      partnerId,
      device,
      createdAtMs: this.#clock.now(),
    };
    await this.#db.query(
      'INSERT INTO baseline_sessions (id, partner_id, device, created_at_ms) VALUES ($1, $2, $3, $4)',
      [row.id, partnerId, device, row.createdAtMs],
    );
    return row;
  }

  async getSession(id: string): Promise<BaselineSessionRow | undefined> {
    const [r] = await this.#db.query('SELECT * FROM baseline_sessions WHERE id = $1', [id]);
    return r
      ? {
          id: String(r.id),
          partnerId: String(r.partner_id),
          device: String(r.device),
          createdAtMs: Number(r.created_at_ms),
        }
      : undefined;
  }

  async createLink(sessionId: string, partnerId: string, destination: string): Promise<string> {
    const id = randomBytes(12).toString('base64url');
    await this.#db.query(
      'INSERT INTO baseline_links (id, session_id, partner_id, destination, created_at_ms) VALUES ($1, $2, $3, $4, $5)',
      [id, sessionId, partnerId, destination, this.#clock.now()],
    );
    return id;
  }

  async getLinkDestination(id: string): Promise<string | undefined> {
    const [r] = await this.#db.query('SELECT destination FROM baseline_links WHERE id = $1', [id]);
    return r ? String(r.destination) : undefined;
  }
}
