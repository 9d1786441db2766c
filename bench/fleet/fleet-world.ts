// The bench world: REGIONS regions on 127.0.N.1 (ports given), VANTAGES vantages on 127.0.200.N,
// at the default probe settings (500 ms interval, 300 ms timeout).
import { lintWorldText, type World } from '../../src/world/index.js';

export function fleetWorldText(ports: readonly number[], vantages: number): string {
  return [
    'zone: bench.test',
    'home: r1',
    'regions:',
    ...ports.map(
      (port, i) =>
        `  r${i + 1}: { cidr: 10.${i + 1}.0.0/16, address: 127.0.${i + 1}.1, port: ${port}, location: { lat: ${(i % 18) * 10 - 85}, lon: ${(i % 36) * 10 - 175} } }`,
    ),
    'vantages:',
    ...Array.from(
      { length: vantages },
      (_, i) =>
        `  v${i + 1}: { location: { lat: ${i * 15 - 60}, lon: ${i * 30 - 150} }, lab: { address: 127.0.200.${i + 1} } }`,
    ),
  ].join('\n');
}

export function fleetWorld(ports: readonly number[], vantages: number): World {
  const r = lintWorldText(fleetWorldText(ports, vantages));
  if (!r.world) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
  return r.world;
}
