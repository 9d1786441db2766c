// Asks one endpoint for `GET /status` with a deadline; every failure becomes a value.
import { type Dispatcher, request } from 'undici';
import { regionStatusSchema } from '../../world/index.js';
import type { AuditTarget } from '../audit-targets.js';
import type { Observation } from '../observation.js';

const MAX_BODY_BYTES = 1 << 20;

/**
 * Fetches and validates one `/status`; resolves (never rejects) within about `timeoutMs`.
 * `dispatcher` is the connection pool to use (default: undici's global one).
 */
export async function fetchStatus(
  target: AuditTarget,
  timeoutMs: number,
  dispatcher?: Dispatcher,
): Promise<Observation> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(target.url, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      ...(dispatcher ? { dispatcher } : {}),
    });
  } catch (err) {
    return { target, ok: false, answered: false, reason: describeFetchError(err, timeoutMs) };
  }
  let text: string;
  try {
    text = await res.body.text();
  } catch (err) {
    return {
      target,
      ok: false,
      answered: true,
      reason: `reading the body failed: ${describeFetchError(err, timeoutMs)}`,
    };
  }
  const status = res.statusCode;
  if (status !== 200) return { target, ok: false, answered: true, reason: `HTTP ${status} from /status` };
  if (text.length > MAX_BODY_BYTES)
    return { target, ok: false, answered: true, reason: '/status body over 1 MiB' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { target, ok: false, answered: true, reason: '/status is not JSON' };
  }
  const parsed = regionStatusSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? first.path.join('.') : 'body';
    return {
      target,
      ok: false,
      answered: true,
      reason: `/status is not a Meridian status: ${where}: ${first?.message}`,
    };
  }
  return { target, ok: true, status: parsed.data };
}

function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code;
  if (code && /^E[A-Z]+$/.test(code)) return `connect ${code}`;
  return e?.message ?? String(err);
}
