// Rule `vantage-lab-address`: each vantage the lab runs probes from its own loopback address.
import { parseAddress } from '../../core/index.js';
import type { Finding } from '../diagnostic.js';
import type { WorldInput } from '../world-schema.js';

/** Lab addresses of vantages are loopback IPv4, distinct, and no region's address. */
export function checkVantages(w: WorldInput): Finding[] {
  const out: Finding[] = [];
  const regionAddresses = new Map(Object.entries(w.regions).map(([name, r]) => [r.address, name]));
  const seen = new Map<string, string>();
  for (const [name, v] of Object.entries(w.vantages)) {
    const address = v.lab?.address;
    if (address === undefined) continue;
    const path = ['vantages', name, 'lab', 'address'];
    const parsed = parseAddress(address);
    if (!parsed.ok || parsed.value.family !== 4 || parsed.value.bytes[0] !== 127) {
      out.push({
        code: 'vantage-lab-address',
        severity: 'error',
        path,
        message: `"${address}" is not a loopback IPv4 address; the lab probes from 127.0.0.0/8, e.g. 127.0.200.${Object.keys(w.vantages).indexOf(name) + 1}`,
      });
      continue;
    }
    const other = seen.get(address);
    const region = regionAddresses.get(address);
    if (other !== undefined || region !== undefined) {
      out.push({
        code: 'vantage-lab-address',
        severity: 'error',
        path,
        message: `${address} is also the address of ${other !== undefined ? `vantage "${other}"` : `region "${region}"`}; give every vantage its own loopback address so the lab can tell its probes apart`,
      });
    } else seen.set(address, name);
  }
  return out;
}
