// The TCP probe: a connect to address:port within the timeout is ok; nothing is sent.
import { connect } from 'node:net';
import type { Probe, ProbeResult, ProbeTarget } from '../probe.js';
import { settleProbe } from './settle-probe.js';

/**
 * Checks that something accepts connections on `address:port` (gdnsd's `tcp_connect`): ok on
 * the connect, then the socket is closed at once. A refused or reset connect fails with its
 * code; no connect within `timeoutMs` fails with `timeout`. It cannot see a listener that
 * accepts and never answers: use an http(s) check for that.
 */
export class TcpProbe implements Probe {
  check(target: ProbeTarget): Promise<ProbeResult> {
    return settleProbe(target, (finish) => {
      const socket = connect({
        host: target.address,
        port: target.port,
        ...(target.sourceAddress ? { localAddress: target.sourceAddress } : {}),
      });
      socket.once('connect', () => finish(true));
      socket.once('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      return socket;
    });
  }
}
