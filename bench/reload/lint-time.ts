// bench/reload: how long `lintWorldText` takes on the broken worlds of generate-world.ts, at N
// and 2N entries (a ratio near 2 is linear), and `meridian lint` on the broken bench file.
// Usage: npm run build && tsx bench/reload/lint-time.ts [N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintWorldText } from '../../src/world/index.js';
import { type BrokenKind, generateBrokenWorld, generateValidWorld } from './generate-world.js';

const n = Number(process.argv[2] ?? 10_000);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const time = (text: string) => {
  const t0 = performance.now();
  const r = lintWorldText(text);
  return { ms: performance.now() - t0, diagnostics: r.diagnostics.length };
};
time(generateValidWorld(1000)); // warm up
const kinds: Array<BrokenKind | 'valid'> = ['valid', 'cidr', 'schema', 'reference', 'hostnames', 'overlap'];
for (const kind of kinds) {
  const row: string[] = [];
  // overlapping regions make diagnostics quadratic in number before the fix: a quarter of N
  const base = kind === 'overlap' ? n / 4 : n;
  for (const size of [base, 2 * base]) {
    const text = kind === 'valid' ? generateValidWorld(size) : generateBrokenWorld(kind, size);
    const r = time(text);
    row.push(
      `${size}: ${(text.length / 1e6).toFixed(2)} MB, ${r.diagnostics} diagnostics, ${r.ms.toFixed(0)} ms`,
    );
  }
  console.log(`${kind.padEnd(9)} ${row.join(' | ')}  (load ${load()})`);
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-lint-time-'));
const file = join(dir, 'broken.yaml');
writeFileSync(file, generateBrokenWorld('hostnames', 24_000));
const bin = new URL('../../bin/meridian.js', import.meta.url).pathname;
const t0 = performance.now();
try {
  execFileSync(process.execPath, [bin, 'lint', file], { stdio: 'pipe', maxBuffer: 1 << 30 });
} catch {
  // exit 1: the file is invalid, as intended
}
console.log(
  `meridian lint broken.yaml (24 000 bad hostnames, whole process): ${(performance.now() - t0).toFixed(0)} ms (load ${load()})`,
);
rmSync(dir, { recursive: true, force: true });
