// BaselineHome over HTTP: one request to home's /v1/baseline/* row API per read or write, each
// signed with the region's key (decision 0015).
import { Pool } from 'undici';
import { type Clock, MeridianError, regionSender, signRequest, systemClock } from '../../core/index.js';
import type { BaselineHome } from '../baseline-routes.js';
import type { Partner } from '../links-config.js';

export interface HttpBaselineHomeOptions {
  /** Home's base URL, e.g. http://127.0.0.1:7000 */
  readonly homeUrl: string;
  /** This region's name and key: every call is signed as `region:<name>`. */
  readonly region: string;
  readonly key: Uint8Array;
  readonly clock?: Clock;
  readonly connections?: number;
  readonly timeoutMs?: number;
}

/** A BaselineHome client; `close()` ends its connection pool. */
export function createHttpBaselineHome(
  options: HttpBaselineHomeOptions,
): BaselineHome & { close(): Promise<void> } {
  const base = new URL(options.homeUrl);
  const timeout = options.timeoutMs ?? 2_000;
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 64,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connectTimeout: timeout,
  });
  const clock = options.clock ?? systemClock;
  const sender = regionSender(options.region);
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T | undefined> => {
    const fullPath = `/v1/baseline${path}`;
    const text = body === undefined ? undefined : JSON.stringify(body);
    const signature = signRequest({
      key: options.key,
      sender,
      method,
      path: fullPath,
      ...(text === undefined ? {} : { body: text }),
      nowMs: clock.now(),
    });
    const res = await pool.request({
      method,
      path: fullPath,
      headers: text === undefined ? signature : { ...signature, 'content-type': 'application/json' },
      ...(text === undefined ? {} : { body: text }),
    });
    if (res.statusCode === 404) {
      await res.body.dump();
      return undefined;
    }
    if (res.statusCode >= 300) {
      await res.body.dump();
      throw new MeridianError(
        'MERIDIAN_LINKS_HOME_FAILED',
        `home answered ${res.statusCode} to ${method} ${path}`,
      );
    }
    return (await res.body.json()) as T;
  };
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new MeridianError('MERIDIAN_LINKS_HOME_FAILED', `home did not ${what}`);
    return value;
  };
  return {
    getPartner: (id) => call<Partner>('GET', `/partners/${encodeURIComponent(id)}`),
    async createSession(partnerId, device) {
      return required(
        await call<{ id: string }>('POST', '/sessions', { partnerId, device }),
        'create a session',
      ).id;
    },
    getSession: (id) =>
      call<{ partnerId: string; device: string }>('GET', `/sessions/${encodeURIComponent(id)}`),
    async createLink(sessionId, partnerId, destination) {
      return required(
        await call<{ id: string }>('POST', '/links', { sessionId, partnerId, destination }),
        'create a link',
      ).id;
    },
    async getLinkDestination(id) {
      return (await call<{ destination: string }>('GET', `/links/${encodeURIComponent(id)}`))?.destination;
    },
    close: () => pool.close(),
  };
}
