// The TCP probe: a connect to address:port within the timeout is ok; nothing is sent.
import { connect, type Socket } from 'node:net';
import type { Probe, ProbeResult, ProbeTarget } from '../probe.js';

/**
 * Checks that something accepts connections on `address:port` (gdnsd's `tcp_connect`): ok on
 * the connect, then the socket is closed at once. A refused or reset connect fails with its
 * code; no connect within `timeoutMs` fails with `timeout`. It cannot see a listener that
 * accepts and never answers: use an http(s) check for that.
 */
export class TcpProbe implements Probe {
  check(target: ProbeTarget): Promise<ProbeResult> {
    return new Promise<ProbeResult>((resolve) => {
      const started = performance.now();
      let settled = false;
      let socket: Socket | null = null;
      const finish = (ok: boolean, error?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        target.signal?.removeEventListener('abort', onAbort);
        socket?.destroy();
        const durationMs = performance.now() - started;
        resolve(ok ? { ok, durationMs } : { ok, durationMs, error: error ?? 'failed' });
      };
      const onAbort = (): void => finish(false, 'aborted');
      // one more poll phase at the deadline: a connect that completed in time wins (see HttpProbe)
      const timer = setTimeout(() => setImmediate(() => finish(false, 'timeout')), target.timeoutMs);
      if (target.signal?.aborted) return finish(false, 'aborted');
      target.signal?.addEventListener('abort', onAbort, { once: true });
      socket = connect({
        host: target.address,
        port: target.port,
        ...(target.sourceAddress ? { localAddress: target.sourceAddress } : {}),
      });
      socket.once('connect', () => finish(true));
      socket.once('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
    });
  }
}
