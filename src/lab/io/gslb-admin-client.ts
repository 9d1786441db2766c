// The lab's operator calls on the GSLB's admin API (drain, rollout) and its health table,
// polled once a second for the live view.
import { MeridianError } from '../../core/index.js';
import type { HealthTable } from '../../health-table/index.js';

export interface GslbAdminClientOptions {
  /** `http://127.0.0.1:PORT`, or a function when the port is learnt later. */
  readonly baseUrl: () => string | undefined;
  /** The hostname rollouts apply to (a name of the world's `hostnames`). */
  readonly hostname: string;
  readonly token?: string;
}

/** Operator calls; `startPolling()` keeps `health()` fresh, `stop()` ends the polling. */
export class GslbAdminClient {
  readonly #o: GslbAdminClientOptions;
  #health: HealthTable | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: GslbAdminClientOptions) {
    this.#o = options;
  }

  async setDrained(region: string, drained: boolean): Promise<void> {
    await this.#call(
      'POST',
      `/v1/regions/${encodeURIComponent(region)}/${drained ? 'drain' : 'undrain'}`,
      {},
    );
  }

  async setRollout(region: string, percent: number): Promise<void> {
    await this.#call('PUT', `/v1/hostnames/${encodeURIComponent(this.#o.hostname)}/rollout`, {
      region,
      percent,
      sticky: true,
    });
  }

  /** `GET /v1/state`. */
  async state(): Promise<Record<string, unknown>> {
    return (await this.#call('GET', '/v1/state')) as Record<string, unknown>;
  }

  /** The latest polled health table, if any. */
  health(): HealthTable | undefined {
    return this.#health;
  }

  startPolling(everyMs = 1000): void {
    const tick = async () => {
      try {
        const s = await this.state();
        this.#health = {
          version: Number(s.healthVersion),
          publishedAtMs: Number(s.healthPublishedAtMs),
          regions: s.regions as HealthTable['regions'],
        };
      } catch {
        // The GSLB is away: keep the last table; the live view shows its age.
      }
      if (this.#timer) this.#timer = setTimeout(tick, everyMs);
    };
    this.#timer = setTimeout(tick, 0);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const base = this.#o.baseUrl();
    if (!base) throw new MeridianError('MERIDIAN_LAB_CONTROL_FAILED', 'the GSLB admin API is not up yet');
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.#o.token ? { authorization: `Bearer ${this.#o.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(3000),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new MeridianError(
        'MERIDIAN_LAB_CONTROL_FAILED',
        `GSLB admin ${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
  }
}
