// The probe target of a region: its address and resolved check, with the region's timeout.
import type { Region } from '../world/index.js';
import type { ProbeTarget } from './probe.js';

/** What a probe checks for `region` (no abort signal); `sourceAddress` is where it probes from. */
export function probeTargetOf(region: Region, sourceAddress?: string): ProbeTarget {
  const c = region.check;
  return {
    address: region.address,
    port: c.port,
    path: c.path,
    timeoutMs: region.health.timeoutMs,
    type: c.type,
    ...(c.host !== undefined ? { host: c.host } : {}),
    ...(c.sni !== undefined ? { sni: c.sni } : {}),
    ...(c.caFile !== undefined ? { caFile: c.caFile } : {}),
    ...(c.pinSha256 !== undefined ? { pinSha256: c.pinSha256 } : {}),
    expectStatus: c.expectStatus,
    ...(c.body !== undefined ? { body: c.body } : {}),
    ...(sourceAddress !== undefined ? { sourceAddress } : {}),
  };
}

/** Whether two targets check the same thing (the timeout aside). */
export function sameProbeTarget(a: ProbeTarget, b: ProbeTarget): boolean {
  const key = ({ timeoutMs: _t, signal: _s, ...rest }: ProbeTarget) => JSON.stringify(rest);
  return key(a) === key(b);
}
