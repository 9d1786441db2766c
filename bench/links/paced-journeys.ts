// An open-loop load generator: starts journeys (POST /v1/sessions, then POST /v1/links with that
// session) at a steady rate, whatever the answers take, and records every request's latency.
// autocannon's rate limit sends each second's quota in a burst at the start of the second,
// which measures burst absorption rather than latency at an offered load.
import { Pool } from 'undici';

export interface PacedResult {
  readonly offeredRps: number;
  readonly seconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Runs journeys against `origin` at `journeysPerSecond` for `seconds` (two requests each). */
export async function pacedJourneys(
  origin: string,
  journeysPerSecond: number,
  seconds: number,
): Promise<PacedResult> {
  const pool = new Pool(origin, {
    connections: 256,
    pipelining: 1,
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
  });
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const timed = async (fn: () => Promise<{ status: number; body: string }>) => {
    const t0 = performance.now();
    try {
      const res = await fn();
      latencies.push(performance.now() - t0);
      if (res.status >= 200 && res.status < 300) ok++;
      else failed++;
      return res;
    } catch {
      latencies.push(performance.now() - t0);
      failed++;
      return undefined;
    }
  };
  const post = async (path: string, body: unknown, session?: string) => {
    const res = await pool.request({
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/json',
        ...(session ? { authorization: `Session ${session}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, body: await res.body.text() };
  };
  const journey = async () => {
    const s = await timed(() => post('/v1/sessions', { partnerId: 'acme', device: 'bench' }));
    if (s?.status !== 201) return;
    const { sessionId } = JSON.parse(s.body) as { sessionId: string };
    await timed(() => post('/v1/links', { destination: 'https://shop.example/p/42?ref=bench' }, sessionId));
  };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const endAt = start + seconds * 1000;
  let started = 0;
  for (let now = start; now < endAt; now = performance.now()) {
    const due = Math.floor(((now - start) * journeysPerSecond) / 1000);
    while (started < due) {
      started++;
      const p = journey().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return {
    offeredRps: journeysPerSecond * 2,
    seconds,
    requests: latencies.length,
    ok,
    failed,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
  };
}
