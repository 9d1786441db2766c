// The HTTP probe: GET http://address:port/path on a fresh connection; 200 within the timeout is ok.
import { request } from 'node:http';
import type { Probe, ProbeResult, ProbeTarget } from '../probe.js';

/**
 * Probes over HTTP/1.1 with `Connection: close` and no agent: every check opens a new TCP
 * connection, so it sees what a new client sees (listener alive, accept queue, handler
 * answering) and no pooled socket can hide a dead or wedged listener. At a few probes per
 * second per region on a peering link the handshake costs nothing worth pooling for
 * (gdnsd's http_status monitor does the same). Only status 200 is ok; the body is not read.
 * A response that does not start within `timeoutMs` is a failure (`timeout`), so a region
 * that accepts connections but never answers (a grey failure) fails like a dead one.
 */
export class HttpProbe implements Probe {
  check(target: ProbeTarget): Promise<ProbeResult> {
    return new Promise<ProbeResult>((resolve) => {
      const started = performance.now();
      let settled = false;
      const finish = (ok: boolean, error?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        target.signal?.removeEventListener('abort', onAbort);
        req.destroy();
        const durationMs = performance.now() - started;
        resolve(ok ? { ok, durationMs } : { ok, durationMs, error: error ?? 'failed' });
      };
      const onAbort = (): void => finish(false, 'aborted');
      const req = request(
        {
          host: target.address,
          port: target.port,
          path: target.path,
          method: 'GET',
          agent: false,
          headers: { connection: 'close', 'user-agent': 'meridian-monitor' },
        },
        (res) => {
          res.resume();
          finish(res.statusCode === 200, `status ${res.statusCode}`);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      // At the timeout, let the poll phase run once more (setImmediate) before failing: after a
      // stall, expired timers run before sockets are read, and an answer that arrived in time
      // must not lose to a timer that merely ran late.
      const timer = setTimeout(() => setImmediate(() => finish(false, 'timeout')), target.timeoutMs);
      if (target.signal?.aborted) return finish(false, 'aborted');
      target.signal?.addEventListener('abort', onAbort, { once: true });
      req.end();
    });
  }
}
