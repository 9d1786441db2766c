// Reads the measured AWS inter-region RTT table shipped in the package's data/ folder.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRttCsv, type RttTable } from '../rtt-table.js';

let cached: RttTable | undefined;

/** The shipped AWS inter-region RTT table (cloudping.co averages; see data/ for the source). */
export function loadAwsRttTable(): RttTable {
  if (!cached) {
    const path = fileURLToPath(new URL('../../../data/aws-inter-region-rtt.csv', import.meta.url));
    cached = parseRttCsv(readFileSync(path, 'utf8'));
  }
  return cached;
}
