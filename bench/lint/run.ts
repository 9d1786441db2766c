// bench:lint — time `lintWorldText` and the whole `meridian lint` process on a generated world
// with 50 regions and 200 services. Usage: npm run bench:lint [-- REGIONS SERVICES RUNS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintWorldText } from '../../src/world/index.js';
import { generateWorld } from './generate-world.js';

const [regions = 50, services = 200, runs = 30] = process.argv.slice(2).map(Number);
const text = generateWorld(regions, services);
const first = lintWorldText(text, 'generated.yaml');
if (!first.world) {
  console.error(first.diagnostics.slice(0, 5));
  throw new Error('generated world does not lint clean');
}

const inProcess: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  lintWorldText(text, 'generated.yaml');
  inProcess.push(performance.now() - t0);
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-lint-'));
const file = join(dir, 'meridian.yaml');
writeFileSync(file, text);
const bin = new URL('../../bin/meridian.js', import.meta.url).pathname;
const whole: number[] = [];
for (let i = 0; i < Math.min(runs, 10); i++) {
  const t0 = performance.now();
  execFileSync(process.execPath, [bin, 'lint', file], { stdio: 'pipe' });
  whole.push(performance.now() - t0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const max = (xs: number[]) => Math.max(...xs);
console.log(
  `world: ${regions} regions, ${services} services, ${text.split('\n').length} lines, ${text.length} bytes`,
);
console.log(
  `lintWorldText (in process, ${runs} runs): median ${median(inProcess).toFixed(1)} ms, max ${max(inProcess).toFixed(1)} ms`,
);
console.log(
  `meridian lint (whole process, ${whole.length} runs): median ${median(whole).toFixed(0)} ms, max ${max(whole).toFixed(0)} ms`,
);
console.log(
  `machine: ${cpus().length}× ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
