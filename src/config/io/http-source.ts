// Home's HTTP endpoint as a ConfigSource: conditional GET with If-None-Match over undici.
import { Agent } from 'undici';
import type { ConfigSource, FetchRequest, SourceFetch } from '../config-source.js';

export interface HttpSourceOptions {
  /** Full URL of the publisher's snapshot route, e.g. `http://127.0.0.1:8080/config/links`. */
  readonly url: string;
  /** Bodies larger than this (or than the cache's `maxBytes`, if smaller) are refused. Default 16 MiB. */
  readonly maxBytes?: number;
  /** Label for metrics and events. Default `home`. */
  readonly sourceName?: string;
}

/**
 * Polls home. An unchanged poll is one GET with `If-None-Match` answered by a bodyless 304.
 * A body over the limit is refused on its `Content-Length`, or when the stream passes the
 * limit, and reported as `too-large` with its ETag (so the next poll is conditional).
 * Connections are kept alive in a private undici Agent, closed by `close()`.
 */
export function httpSource(options: HttpSourceOptions): ConfigSource {
  const ownMax = options.maxBytes ?? 16 * 1024 * 1024;
  const agent = new Agent({ keepAliveTimeout: 60_000, connections: 2 });
  return {
    name: options.sourceName ?? 'home',
    async fetch(req: FetchRequest): Promise<SourceFetch> {
      try {
        const res = await agent.request({
          origin: new URL(options.url).origin,
          path: pathOf(options.url),
          method: 'GET',
          headers: {
            accept: 'application/json',
            ...(req.cursor ? { 'if-none-match': req.cursor } : {}),
          },
          signal: req.signal,
        });
        if (res.statusCode === 304) {
          await res.body.dump();
          return { kind: 'unchanged' };
        }
        if (res.statusCode === 404) {
          await res.body.dump();
          return { kind: 'empty', detail: `${options.url} answered 404` };
        }
        if (res.statusCode !== 200) {
          await res.body.dump();
          return { kind: 'failed', detail: `${options.url} answered HTTP ${res.statusCode}` };
        }
        const maxBytes = Math.min(ownMax, req.maxBytes);
        const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
        const tooLarge = (size: number, detail: string): SourceFetch => {
          // Drop the connection rather than read on; undici reports that as an abort, expected here.
          res.body.once('error', () => undefined);
          res.body.destroy();
          return {
            kind: 'too-large',
            size,
            detail: `${options.url} body ${detail}`,
            ...(etag ? { cursor: etag } : {}),
          };
        };
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          return tooLarge(declared, `is ${declared} bytes, over ${maxBytes} bytes; not read`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > maxBytes) return tooLarge(size, `is over ${maxBytes} bytes; the rest was not read`);
          chunks.push(chunk as Buffer);
        }
        return {
          kind: 'snapshot',
          bytes: Buffer.concat(chunks),
          ...(etag ? { cursor: etag } : {}),
        };
      } catch (err) {
        return { kind: 'failed', detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      }
    },
    async close() {
      await agent.close();
    },
  };
}

function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
