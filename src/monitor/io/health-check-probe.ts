// The default probe: runs each target's check type (http, https or tcp) with the matching probe.
import type { Probe, ProbeResult, ProbeTarget } from '../probe.js';
import { HttpProbe } from './http-probe.js';
import { TcpProbe } from './tcp-probe.js';

/** HTTP and HTTPS targets go to an HttpProbe, `tcp` targets to a TcpProbe. */
export class HealthCheckProbe implements Probe {
  readonly #http = new HttpProbe();
  readonly #tcp = new TcpProbe();

  check(target: ProbeTarget): Promise<ProbeResult> {
    return target.type === 'tcp' ? this.#tcp.check(target) : this.#http.check(target);
  }
}
