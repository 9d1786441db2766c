// Whether an HTTP response counts as up: its status in the expected set, its body matching. Pure.
import { DEFAULT_EXPECT_STATUS, type StatusRange } from '../world/index.js';
import type { ProbeTarget } from './probe.js';

/** The most of a body a probe reads to match it; a health endpoint says what it has to say early. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The verdict on a response: ok, or why not (`status 503`, `body does not contain "ok"`). */
export type ResponseVerdict = { readonly ok: true } | { readonly ok: false; readonly error: string };

const OK: ResponseVerdict = Object.freeze({ ok: true });

/** True when `status` is in one of the ranges (default 200 only). */
export function statusExpected(
  status: number,
  ranges: readonly StatusRange[] = DEFAULT_EXPECT_STATUS,
): boolean {
  for (const [lo, hi] of ranges) if (status >= lo && status <= hi) return true;
  return false;
}

/**
 * Judges a response: the status first, then (when the target asks for it) the body text, read
 * up to BODY_LIMIT_BYTES. `regex` compiles a pattern (callers cache it).
 */
export function responseVerdict(
  status: number,
  body: string | null,
  target: Pick<ProbeTarget, 'expectStatus' | 'body'>,
  regex: (source: string) => RegExp = (s) => new RegExp(s),
): ResponseVerdict {
  if (!statusExpected(status, target.expectStatus)) return { ok: false, error: `status ${status}` };
  const match = target.body;
  if (!match) return OK;
  const text = body ?? '';
  if ('contains' in match) {
    return text.includes(match.contains)
      ? OK
      : { ok: false, error: `body does not contain ${JSON.stringify(match.contains)}` };
  }
  return regex(match.regex).test(text) ? OK : { ok: false, error: `body does not match /${match.regex}/` };
}
