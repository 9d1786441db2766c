// Home's ingest endpoint as a Fastify 5 plugin: `POST /v1/ingest` takes batches signed by a
// region (decision 0015), stores each event exactly once and answers only after the batch is
// durable (see README, "Wire format").
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { type Clock, parseSender } from '../../core/index.js';
import type { IngestStore } from '../ingest-store.js';
import { INGEST_WIRE_VERSION, parseIngestBatch } from '../ingest-wire.js';
import { type IngestSettingsInput, ingestSettingsSchema, parseSettings } from '../outbox-config.js';
import { requestSignatureHooks, signedSender } from './request-signature-hooks.js';

export interface IngestPluginOptions extends IngestSettingsInput {
  readonly store: IngestStore;
  /**
   * The key of a sender (`region:<name>`), e.g. `(s) => deriveSenderKey(secret, s)`; undefined
   * refuses it. Only `region:` senders reach it.
   */
  readonly senderKey: (sender: string) => Uint8Array | undefined;
  /** For the clock-skew window (default the system clock). */
  readonly clock?: Clock;
  /** Where metrics are registered; a fresh Registry when omitted. */
  readonly registry?: Registry;
}

/** Registers the ingest route. The caller starts and stops the store. */
export async function ingestPlugin(app: FastifyInstance, options: IngestPluginOptions): Promise<void> {
  const { store, senderKey, clock, registry = new Registry(), ...rest } = options;
  const settings = parseSettings('ingest', ingestSettingsSchema, rest);
  const registers = [registry];
  const eventsTotal = new Counter({
    name: 'meridian_outbox_ingest_events_total',
    help: 'Events received by home, by result (stored, duplicate, rejected)',
    labelNames: ['result'],
    registers,
  });
  const batchesTotal = new Counter({
    name: 'meridian_outbox_ingest_batches_total',
    help: 'Ingest requests by HTTP status',
    labelNames: ['status'],
    registers,
  });
  const storeSeconds = new Histogram({
    name: 'meridian_outbox_ingest_store_duration_seconds',
    help: 'Time to store one batch durably',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers,
  });

  const fail = (reply: FastifyReply, status: number, code: string, message: string) => {
    batchesTotal.inc({ status: String(status) });
    return reply.code(status).send({ error: { code, message } });
  };

  // Payloads are data, stored as JSON and never merged into objects, so a "__proto__" key is
  // just a key: plain JSON.parse, not Fastify's poisoning checks, which would refuse such a
  // batch with 400 forever. Scoped to this plugin's context.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(
        Object.assign(new Error(`body is not JSON: ${(err as Error).message}`), { statusCode: 400 }),
        undefined,
      );
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return fail(reply, status, 'MERIDIAN_OUTBOX_BATCH_INVALID', err.message);
    request.log.error({ err }, 'ingest failed');
    return fail(reply, 503, 'MERIDIAN_OUTBOX_INGEST_UNAVAILABLE', err.message);
  });
  const signedByRegion = requestSignatureHooks({
    keyFor: (sender) => (parseSender(sender)?.kind === 'region' ? senderKey(sender) : undefined),
    maxClockSkewMs: settings.maxClockSkewMs,
    ...(clock ? { clock } : {}),
    refuse: (reply, reason) => fail(reply, 401, 'MERIDIAN_OUTBOX_INGEST_UNAUTHORIZED', reason),
  });

  const route = { ...signedByRegion, bodyLimit: settings.bodyLimitBytes };
  app.post(settings.path, route, async (request, reply) => {
    const version = request.headers['meridian-ingest-version'];
    if (version !== undefined && version !== INGEST_WIRE_VERSION) {
      return fail(
        reply,
        400,
        'MERIDIAN_OUTBOX_BATCH_INVALID',
        `wire version ${String(version)} is not supported (this home speaks ${INGEST_WIRE_VERSION})`,
      );
    }
    const parsed = parseIngestBatch(request.body, settings.maxEvents, settings.maxEventBytes);
    if (!parsed.ok) return fail(reply, 400, 'MERIDIAN_OUTBOX_BATCH_INVALID', parsed.reason);
    const sender = signedSender(request)!;
    if (parseSender(sender)?.name !== parsed.batch.region) {
      return fail(
        reply,
        403,
        'MERIDIAN_OUTBOX_INGEST_FORBIDDEN',
        `the batch was signed by ${sender} but names region ${parsed.batch.region}: a region sends only its own events`,
      );
    }
    const started = performance.now();
    let result: Awaited<ReturnType<IngestStore['storeBatch']>>;
    try {
      result = await store.storeBatch(parsed.batch.region, parsed.batch.events);
    } catch (err) {
      request.log.error({ err }, 'ingest store failed');
      return fail(
        reply,
        503,
        'MERIDIAN_OUTBOX_INGEST_UNAVAILABLE',
        `the ingest store failed: ${(err as Error).message}`,
      );
    }
    storeSeconds.observe((performance.now() - started) / 1000);
    eventsTotal.inc({ result: 'stored' }, result.stored);
    eventsTotal.inc({ result: 'duplicate' }, result.duplicates);
    eventsTotal.inc({ result: 'rejected' }, parsed.rejected.length);
    batchesTotal.inc({ status: '200' });
    return reply
      .code(200)
      .send({ stored: result.stored, duplicates: result.duplicates, rejected: parsed.rejected });
  });
}
