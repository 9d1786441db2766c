// The HTTP(S) probe: GET path on a fresh connection; an expected status (200 by default) and,
// when asked, a matching body within the timeout is ok. HTTPS verifies a CA file or a pin.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Probe, ProbeResult, ProbeTarget } from '../probe.js';
import { BODY_LIMIT_BYTES, responseVerdict } from '../response-verdict.js';
import { settleProbe } from './settle-probe.js';

/**
 * Probes over HTTP/1.1 (or HTTPS) with `Connection: close` and no agent: every check opens a
 * new TCP connection (and TLS session), so it sees what a new client sees (listener alive,
 * accept queue, handshake, handler answering) and no pooled socket can hide a dead or wedged
 * listener. At a few probes per second per region the handshake costs nothing worth pooling
 * for (gdnsd's http_status monitor does the same).
 *
 * Ok means: the status is in `expectStatus` (200 only by default) and, when `body` is set,
 * the first 64 KiB of the body match it. The body is read only when a match is asked for.
 * HTTPS: `caFile` replaces the system CAs; `pinSha256` requires that exact certificate (and,
 * without `caFile`, trusts it alone: a self-signed region certificate can be pinned); `sni` is
 * the server name sent and verified (default: the Host header's name, none for an IP).
 * A response (or, with a body match, a body) that does not arrive within `timeoutMs` is a
 * failure (`timeout`), so a region that accepts connections but never answers (a grey
 * failure) fails like a dead one.
 */
export class HttpProbe implements Probe {
  readonly #caFiles = new Map<string, Buffer>();
  readonly #regexes = new Map<string, RegExp>();

  check(target: ProbeTarget): Promise<ProbeResult> {
    return settleProbe(target, (finish) => {
      const https = target.type === 'https';
      let options: RequestOptions;
      try {
        options = this.#options(target, https);
      } catch (err) {
        finish(false, (err as Error).message);
        return undefined;
      }
      const onResponse = (res: IncomingMessage): void => {
        const status = res.statusCode ?? 0;
        const head = responseVerdict(status, null, { expectStatus: target.expectStatus });
        if (!head.ok || !target.body) {
          res.resume();
          finish(head.ok, head.ok ? undefined : head.error);
          return;
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        const judge = (): void => {
          const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT_BYTES).toString('utf8');
          const verdict = responseVerdict(status, body, target, (s) => this.#regex(s));
          finish(verdict.ok, verdict.ok ? undefined : verdict.error);
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          bytes += chunk.length;
          if (bytes >= BODY_LIMIT_BYTES) judge();
        });
        res.on('end', judge);
        res.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      };
      const req = https ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
      req.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      if (https && target.pinSha256) {
        const pin = target.pinSha256;
        req.on('socket', (socket) => {
          socket.once('secureConnect', () => {
            const raw = (socket as TLSSocket).getPeerCertificate().raw;
            const seen = raw ? createHash('sha256').update(raw).digest('hex') : 'none';
            if (seen !== pin) {
              finish(
                false,
                `certificate sha256 ${seen.slice(0, 16)}… is not the pinned ${pin.slice(0, 16)}…`,
              );
            }
          });
        });
      }
      req.end();
      return req;
    });
  }

  #options(target: ProbeTarget, https: boolean): RequestOptions {
    const headers: Record<string, string> = { connection: 'close', 'user-agent': 'meridian-monitor' };
    if (target.host) headers.host = target.host;
    const options: RequestOptions = {
      host: target.address,
      port: target.port,
      path: target.path,
      method: 'GET',
      agent: false,
      headers,
      ...(target.sourceAddress ? { localAddress: target.sourceAddress } : {}),
    };
    if (!https) return options;
    return {
      ...options,
      ...(target.sni ? { servername: target.sni } : {}),
      ...(target.caFile ? { ca: this.#ca(target.caFile) } : {}),
      // a pin without a CA file trusts that certificate alone (checked on secureConnect)
      rejectUnauthorized: !(target.pinSha256 && !target.caFile),
    };
  }

  /** The CA file's bytes, read once per path (a failed read is retried on the next probe). */
  #ca(path: string): Buffer {
    let ca = this.#caFiles.get(path);
    if (ca) return ca;
    try {
      ca = readFileSync(path);
    } catch (err) {
      throw new Error(`caFile ${path} unreadable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    this.#caFiles.set(path, ca);
    return ca;
  }

  #regex(source: string): RegExp {
    let re = this.#regexes.get(source);
    if (!re) {
      re = new RegExp(source);
      this.#regexes.set(source, re);
    }
    return re;
  }
}
