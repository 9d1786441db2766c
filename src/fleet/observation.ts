// One vantage's observation of one region, as probers publish it and consumers read it.

/** What a prober publishes after each probe: the raw result, before any rise/fall. */
export interface Observation {
  readonly region: string;
  readonly vantage: string;
  readonly ok: boolean;
  readonly latencyMs: number;
  /** Why the probe failed (`timeout`, `status 503`, `ECONNREFUSED` …); null when ok. */
  readonly reason: string | null;
  /** When the probe completed, by the prober's clock (ISO 8601 on the wire). */
  readonly timeMs: number;
}

/** An observation as a stream delivered it: with its sequence and the stream's timestamp. */
export interface StoredObservation extends Observation {
  /** Stream sequence: the one order every consumer sees. */
  readonly seq: number;
  /** When the stream stored it (ms), by the stream leader's clock: the same on every consumer. */
  readonly streamTimeMs: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The wire form: JSON `{region, vantage, ok, latencyMs, reason, time}` with `time` in ISO 8601. */
export function encodeObservation(o: Observation): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      region: o.region,
      vantage: o.vantage,
      ok: o.ok,
      latencyMs: Math.round(o.latencyMs * 1000) / 1000,
      reason: o.reason,
      time: new Date(o.timeMs).toISOString(),
    }),
  );
}

/** Parses the wire form; a malformed message is a value, never a throw. */
export function decodeObservation(
  bytes: Uint8Array,
): { ok: true; value: Observation } | { ok: false; reason: string } {
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(bytes));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (v === null || typeof v !== 'object') return { ok: false, reason: 'not an object' };
  const o = v as Record<string, unknown>;
  if (typeof o.region !== 'string' || typeof o.vantage !== 'string') {
    return { ok: false, reason: 'region and vantage must be strings' };
  }
  if (typeof o.ok !== 'boolean') return { ok: false, reason: 'ok must be a boolean' };
  if (typeof o.latencyMs !== 'number' || !Number.isFinite(o.latencyMs)) {
    return { ok: false, reason: 'latencyMs must be a number' };
  }
  if (o.reason !== null && typeof o.reason !== 'string') {
    return { ok: false, reason: 'reason must be a string or null' };
  }
  const timeMs = typeof o.time === 'string' ? Date.parse(o.time) : Number.NaN;
  if (!Number.isFinite(timeMs)) return { ok: false, reason: 'time must be an ISO 8601 date' };
  return {
    ok: true,
    value: {
      region: o.region,
      vantage: o.vantage,
      ok: o.ok,
      latencyMs: o.latencyMs,
      reason: o.reason,
      timeMs,
    },
  };
}
