// The reduced world the issue-7 measurements run on: home us-west-2, eu-west-2, and optionally
// af-south-1; users in London and Cape Town. Addresses 127.0.91-93.1, fixed ports below 32768.
import { type IpPrefix, parseCidr } from '../../src/core/index.js';
import { reducedWorldText } from '../../src/lab/io/test-support/reduced-world-text.js';

export const ADDR = { home: '127.0.91.1', eu: '127.0.92.1', af: '127.0.93.1' } as const;
export const REGION_PORT = 18080;

export const REGION = {
  home: `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: ${REGION_PORT} }`,
  eu: `eu-west-2: { cidr: 10.20.0.0/16, address: ${ADDR.eu}, port: ${REGION_PORT} }`,
  af: `af-south-1: { cidr: 10.30.0.0/16, address: ${ADDR.af}, port: ${REGION_PORT} }`,
} as const;

/** The world file's text with these region lines (and an optional health interval). */
export const worldText = reducedWorldText;

/** `count` /24s in Cape Town's 41.0.0.0/8 (nearest af-south-1). */
export function capeTownSubnets(count: number): IpPrefix[] {
  return Array.from({ length: count }, (_, i) => {
    const p = parseCidr(`41.0.${i}.0/24`);
    if (!p.ok) throw new Error(p.reason);
    return p.value;
  });
}
