// Every error leaves as JSON `{error: {code, message}}`, including Fastify's own (bad JSON,
// body too large, wrong content type) and unknown routes.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** Sends `{error: {code, message}}` with `status`. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } } satisfies ApiErrorBody);
}

const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid-content-length',
};

const SHOWN_PATH_CHARS = 80;

/** The path of `url` for an error message: at most 80 characters of it, never kilobytes. */
function shownPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.length <= SHOWN_PATH_CHARS
    ? path
    : `${path.slice(0, SHOWN_PATH_CHARS)}… (${path.length} characters)`;
}

/** Installs the JSON error and not-found handlers on `app`. */
export function installJsonErrors(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    sendError(reply, 404, 'not-found', `no route for ${request.method} ${shownPath(request.url)}`);
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const code =
      FASTIFY_CODES[err.code] ??
      (err.name === 'SyntaxError' ? 'invalid-json' : status >= 500 ? 'internal' : 'bad-request');
    if (status >= 500) request.log.error({ err }, 'request failed');
    sendError(
      reply,
      code === 'invalid-json' ? 400 : status,
      code,
      status >= 500 ? 'internal error' : err.message,
    );
  });
}
