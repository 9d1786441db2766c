// The wire format between a region's flusher and home's ingest (`POST /v1/ingest`), both
// directions, as pure encode/parse functions. Documented in README.md ("Wire format").
import { checkName, type OutboxEvent, unstorableJsonReason } from './outbox-event.js';

/** The wire format version; sent as the `meridian-ingest-version` request header. */
export const INGEST_WIRE_VERSION = '1';

/** An event as home receives it: the payload is parsed JSON. */
export interface IngestEvent {
  readonly key: string;
  readonly topic: string;
  readonly enqueuedAtMs: number;
  readonly payload: unknown;
  /** `payload` as JSON text when already known (saves stores a second stringify). */
  readonly payloadJson?: string;
}

export interface IngestBatch {
  /** The sending region's name (stored with each event; home checks it is the signing region). */
  readonly region: string;
  readonly events: readonly IngestEvent[];
}

/** One event home refused for good (it is dead-lettered by the region, never retried). */
export interface IngestRejection {
  readonly key: string;
  readonly reason: string;
}

/** Home's answer to a batch: every event is counted in exactly one of the three. */
export interface IngestAck {
  readonly stored: number;
  readonly duplicates: number;
  readonly rejected: readonly IngestRejection[];
}

/**
 * Builds the request body for a batch without re-parsing payloads: they are spliced in as
 * the JSON text stored in the outbox.
 */
export function encodeIngestBatch(region: string, events: readonly OutboxEvent[]): string {
  const parts = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    parts[i] =
      `{"key":${JSON.stringify(e.key)},"topic":${JSON.stringify(e.topic)},` +
      `"enqueuedAtMs":${e.enqueuedAtMs},"payload":${e.payloadJson}}`;
  }
  return `{"region":${JSON.stringify(region)},"events":[${parts.join(',')}]}`;
}

export type ParsedIngestBatch =
  | { readonly ok: true; readonly batch: IngestBatch; readonly rejected: readonly IngestRejection[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a decoded request body. A malformed envelope fails the whole batch; a malformed
 * event with a usable key, or one whose payload is over `maxEventBytes` of JSON, is returned
 * in `rejected` and the rest of the batch goes on.
 */
export function parseIngestBatch(
  body: unknown,
  maxEvents: number,
  maxEventBytes = Number.POSITIVE_INFINITY,
): ParsedIngestBatch {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, reason: 'body must be a JSON object {"region", "events"}' };
  }
  const { region, events } = body as { region?: unknown; events?: unknown };
  const regionProblem = checkName('region', region);
  if (regionProblem) return { ok: false, reason: regionProblem };
  if (!Array.isArray(events)) return { ok: false, reason: 'events must be an array' };
  if (events.length > maxEvents) {
    return { ok: false, reason: `a batch holds at most ${maxEvents} events, got ${events.length}` };
  }
  const good: IngestEvent[] = [];
  const rejected: IngestRejection[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object') return { ok: false, reason: `events[${i}] must be an object` };
    const keyProblem = checkName(`events[${i}].key`, e.key);
    if (keyProblem) return { ok: false, reason: keyProblem };
    const key = e.key as string;
    const problem =
      checkName('topic', e.topic) ??
      (Number.isSafeInteger(e.enqueuedAtMs) && (e.enqueuedAtMs as number) >= 0
        ? null
        : 'enqueuedAtMs must be a non-negative integer') ??
      (e.payload === undefined ? 'payload is missing' : null);
    if (problem) {
      rejected.push({ key, reason: problem });
      continue;
    }
    const payloadJson = JSON.stringify(e.payload);
    const bytes = Buffer.byteLength(payloadJson, 'utf8');
    const unstorable =
      bytes > maxEventBytes
        ? `payload is ${bytes} bytes of JSON, more than home's limit of ${maxEventBytes}`
        : unstorableJsonReason(payloadJson);
    if (unstorable) rejected.push({ key, reason: unstorable });
    else {
      good.push({
        key,
        topic: e.topic as string,
        enqueuedAtMs: e.enqueuedAtMs as number,
        payload: e.payload,
        payloadJson,
      });
    }
  }
  return { ok: true, batch: { region: region as string, events: good }, rejected };
}

export type ParsedIngestAck =
  | { readonly ok: true; readonly ack: IngestAck }
  | { readonly ok: false; readonly reason: string };

/** Checks home's answer against the batch that was sent (`sent` events). */
export function parseIngestAck(body: unknown, sent: number): ParsedIngestAck {
  if (body === null || typeof body !== 'object') return { ok: false, reason: 'ack is not an object' };
  const { stored, duplicates, rejected } = body as Record<string, unknown>;
  if (!Number.isSafeInteger(stored) || !Number.isSafeInteger(duplicates) || !Array.isArray(rejected)) {
    return { ok: false, reason: 'ack must be {"stored": int, "duplicates": int, "rejected": [...]}' };
  }
  const list: IngestRejection[] = [];
  for (const r of rejected as unknown[]) {
    const { key, reason } = (r ?? {}) as Record<string, unknown>;
    if (typeof key !== 'string' || typeof reason !== 'string') {
      return { ok: false, reason: 'ack.rejected entries must be {"key", "reason"}' };
    }
    list.push({ key, reason });
  }
  if ((stored as number) + (duplicates as number) + list.length !== sent) {
    return {
      ok: false,
      reason: `ack counts ${stored}+${duplicates}+${list.length} do not add up to the ${sent} events sent`,
    };
  }
  return { ok: true, ack: { stored: stored as number, duplicates: duplicates as number, rejected: list } };
}
