// Fastify route hooks that make a route require a signed request (decision 0015): the headers
// are checked before the body is read, so a forged request costs no body buffering, and the
// body's SHA-256 is compared with the signed digest before the handler runs.
import { createHash } from 'node:crypto';
import { pipeline, Transform } from 'node:stream';
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  preParsingAsyncHookHandler,
  preValidationAsyncHookHandler,
} from 'fastify';
import { type Clock, checkSignedHeaders, EMPTY_SHA256, systemClock } from '../../core/index.js';

export interface RequestSignatureOptions {
  /** The key of a sender this route accepts, else undefined (the request is refused). */
  readonly keyFor: (sender: string) => Uint8Array | undefined;
  readonly clock?: Clock;
  /** Default 5 minutes (`DEFAULT_MAX_CLOCK_SKEW_MS`). */
  readonly maxClockSkewMs?: number;
  /** Sends the 401 in the caller's error format and returns the reply. */
  readonly refuse: (reply: FastifyReply, reason: string) => FastifyReply;
}

/** Hooks to spread into a route's options: `app.post(path, { ...hooks, bodyLimit }, handler)`. */
export interface RequestSignatureHooks {
  readonly onRequest: onRequestAsyncHookHandler;
  readonly preParsing: preParsingAsyncHookHandler;
  readonly preValidation: preValidationAsyncHookHandler;
}

interface Digest {
  readonly expected: string;
  actual?: string;
}

const senders = new WeakMap<FastifyRequest, string>();
const digests = new WeakMap<FastifyRequest, Digest>();

/** The verified sender of a request that passed a route's signature hooks. */
export function signedSender(request: FastifyRequest): string | undefined {
  return senders.get(request);
}

/** The three hooks; one set can serve many routes. */
export function requestSignatureHooks(options: RequestSignatureOptions): RequestSignatureHooks {
  const clock = options.clock ?? systemClock;
  return {
    async onRequest(request, reply) {
      const check = checkSignedHeaders({
        headers: request.headers,
        method: request.method,
        path: request.url,
        nowMs: clock.now(),
        keyFor: options.keyFor,
        ...(options.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: options.maxClockSkewMs }),
      });
      if (!check.ok) return options.refuse(reply, check.reason);
      senders.set(request, check.sender);
      digests.set(request, { expected: check.contentSha256 });
    },
    async preParsing(request, _reply, payload) {
      const digest = digests.get(request)!;
      const hash = createHash('sha256');
      const hashing = new Transform({
        transform(chunk, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        flush(done) {
          digest.actual = hash.digest('hex');
          done();
        },
      });
      return pipeline(payload, hashing, () => {});
    },
    async preValidation(request, reply) {
      const digest = digests.get(request)!;
      if ((digest.actual ?? EMPTY_SHA256) !== digest.expected) {
        return options.refuse(reply, 'the body does not match its signed meridian-content-sha256');
      }
    },
  };
}
