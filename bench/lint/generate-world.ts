// Generates a large, lint-clean world file: N regions, M services in a layered dependency
// tree, hostnames, networks and a latency table (used by the lint benchmark).

/** YAML text of a world with `regions` regions and `services` services. */
export function generateWorld(regions: number, services: number): string {
  const lines: string[] = ['zone: bench.test', 'home: r0', 'regions:'];
  for (let i = 0; i < regions; i++) {
    lines.push(
      `  r${i}: { cidr: 10.${i}.0.0/16, address: 127.0.${i + 1}.1, location: { lat: ${((i * 37) % 170) - 85}, lon: ${((i * 53) % 350) - 175} } }`,
    );
  }
  lines.push('services:');
  const homeServices = Math.floor(services / 4);
  for (let s = 0; s < services; s++) {
    const isHome = s < homeServices;
    const deps: string[] = [];
    if (isHome && s > 0) deps.push(`{ service: s${Math.floor(s / 2)}, kind: hard }`);
    if (!isHome) {
      deps.push(`{ service: s${s % homeServices}, kind: soft }`);
      if (s > homeServices)
        deps.push(`{ service: s${homeServices + Math.floor((s - homeServices) / 2)}, kind: hard }`);
    }
    const placement = isHome ? 'home' : 'all';
    lines.push(`  s${s}: { in: ${placement}, owns: [db${s}], dependsOn: [${deps.join(', ')}] }`);
  }
  lines.push('hostnames:');
  for (let s = homeServices; s < services; s += 10)
    lines.push(`  h${s}: { workload: s${s}, policy: latency }`);
  lines.push('networks:');
  for (let n = 0; n < regions; n++)
    lines.push(`  - { name: n${n}, cidr: 100.${64 + (n % 64)}.${n}.0/24, location: { lat: 0, lon: ${n} } }`);
  lines.push('latency:');
  for (let n = 0; n < 10; n++) {
    lines.push(`  n${n}:`);
    for (let r = 0; r < regions; r++) lines.push(`    r${r}: ${10 + ((n * r) % 200)}`);
  }
  return `${lines.join('\n')}\n`;
}
