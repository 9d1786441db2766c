// Home's config tables (partners, revocations, settings) and the links snapshot built from them.
import type { Clock } from '../../../core/index.js';
import type { HomeDatabase, Row } from '../../../workload/index.js';
import {
  DEFAULT_LINKS_SETTINGS,
  type LinksConfig,
  type LinksSettings,
  linksConfigSchema,
  linksSettingsSchema,
  type Partner,
} from '../../links-config.js';

export type RevocationInput =
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'partner'; readonly partnerId: string }
  | { readonly kind: 'partner-before'; readonly partnerId: string; readonly beforeMs: number };

/** A stored revocation as the admin API lists it. */
export interface RevocationRow {
  readonly kind: RevocationInput['kind'];
  readonly subject: string;
  readonly beforeMs: number;
  readonly createdAtMs: number;
}

export class ConfigStore {
  readonly #db: HomeDatabase;
  readonly #clock: Clock;

  constructor(db: HomeDatabase, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  async listPartners(): Promise<Partner[]> {
    return (await this.#db.query('SELECT * FROM partners ORDER BY id')).map(toPartner);
  }

  async getPartner(id: string): Promise<Partner | undefined> {
    const [row] = await this.#db.query('SELECT * FROM partners WHERE id = $1', [id]);
    return row ? toPartner(row) : undefined;
  }

  /** Inserts or replaces the partner (validated by the caller with partnerSchema). */
  async putPartner(p: Partner): Promise<void> {
    await this.#db.query(
      `INSERT INTO partners (id, name, link_template, allowed_hosts, rate_limit_rps, active, updated_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, link_template = excluded.link_template,
         allowed_hosts = excluded.allowed_hosts, rate_limit_rps = excluded.rate_limit_rps,
         active = excluded.active, updated_at_ms = excluded.updated_at_ms`,
      [
        p.id,
        p.name,
        p.linkTemplate,
        JSON.stringify(p.allowedHosts),
        p.rateLimitRps,
        p.active ? 1 : 0,
        this.#clock.now(),
      ],
    );
  }

  /** Deletes the partner; false when there was none. */
  async deletePartner(id: string): Promise<boolean> {
    const rows = await this.#db.query('DELETE FROM partners WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async addRevocation(r: RevocationInput): Promise<void> {
    const subject = r.kind === 'session' ? r.sessionId : r.partnerId;
    const before = r.kind === 'partner-before' ? r.beforeMs : 0;
    await this.#db.query(
      `INSERT INTO revocations (kind, subject, before_ms, created_at_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, subject) DO UPDATE SET before_ms = excluded.before_ms`,
      [r.kind, subject, before, this.#clock.now()],
    );
  }

  async removeRevocation(kind: RevocationInput['kind'], subject: string): Promise<boolean> {
    const rows = await this.#db.query(
      'DELETE FROM revocations WHERE kind = $1 AND subject = $2 RETURNING kind',
      [kind, subject],
    );
    return rows.length > 0;
  }

  async listRevocations(): Promise<RevocationRow[]> {
    return (await this.#db.query('SELECT * FROM revocations ORDER BY created_at_ms, kind, subject')).map(
      (r) => ({
        kind: String(r.kind) as RevocationInput['kind'],
        subject: String(r.subject),
        beforeMs: Number(r.before_ms),
        createdAtMs: Number(r.created_at_ms),
      }),
    );
  }

  async getSettings(): Promise<LinksSettings> {
    const rows = await this.#db.query('SELECT key, value FROM settings');
    const stored = Object.fromEntries(
      rows.map((r) => [String(r.key), JSON.parse(String(r.value)) as unknown]),
    );
    return linksSettingsSchema.parse({ ...DEFAULT_LINKS_SETTINGS, ...stored });
  }

  /** Merges `patch` into the settings (validated as a whole first). */
  async patchSettings(patch: Partial<LinksSettings>): Promise<LinksSettings> {
    const next = linksSettingsSchema.parse({ ...(await this.getSettings()), ...patch });
    await this.#db.transaction(async (tx) => {
      for (const [key, value] of Object.entries(next)) {
        await tx.query(
          'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [key, JSON.stringify(value)],
        );
      }
    });
    return next;
  }

  /** The snapshot data regions load: every partner, every revocation, the settings. */
  async buildLinksConfig(): Promise<LinksConfig> {
    const revocations = await this.#db.query(
      'SELECT kind, subject, before_ms FROM revocations ORDER BY kind, subject',
    );
    return linksConfigSchema.parse({
      partners: await this.listPartners(),
      revocations: {
        sessions: revocations.filter((r) => r.kind === 'session').map((r) => String(r.subject)),
        partners: revocations.filter((r) => r.kind === 'partner').map((r) => String(r.subject)),
        partnersIssuedBefore: revocations
          .filter((r) => r.kind === 'partner-before')
          .map((r) => ({
            partner: String(r.subject),
            issuedBefore: new Date(Number(r.before_ms)).toISOString(),
          })),
      },
      settings: await this.getSettings(),
    });
  }
}

function toPartner(r: Row): Partner {
  return {
    id: String(r.id),
    name: String(r.name),
    linkTemplate: String(r.link_template),
    allowedHosts: JSON.parse(String(r.allowed_hosts)) as string[],
    rateLimitRps: Number(r.rate_limit_rps),
    active: Number(r.active) === 1,
  };
}
