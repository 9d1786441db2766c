import { describe, expect, it } from 'vitest';
import { findCloudRegion, listCloudRegions } from './cloud-regions.js';
import { greatCircleKm } from './coordinates.js';
import { estimateRttMs } from './estimate-rtt.js';
import { loadAwsRttTable } from './io/load-aws-rtt-table.js';

describe('great-circle model', () => {
  it('measures London to New York at about 5570 km', () => {
    expect(greatCircleKm({ lat: 51.51, lon: -0.13 }, { lat: 40.71, lon: -74.01 })).toBeCloseTo(5570, -1);
  });

  it('stays within 40 % of the measured AWS table for most pairs, median under 20 %', () => {
    const table = loadAwsRttTable();
    const errors: number[] = [];
    for (const a of table.places()) {
      for (const b of table.places()) {
        if (a >= b) continue;
        const measured = table.get(a, b);
        const ra = findCloudRegion(a);
        const rb = findCloudRegion(b);
        if (measured === undefined || !ra || !rb) continue;
        errors.push(Math.abs(estimateRttMs(ra.location, rb.location) - measured) / measured);
      }
    }
    errors.sort((x, y) => x - y);
    expect(errors.length).toBeGreaterThan(100);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.2);
    expect(errors.filter((e) => e < 0.4).length / errors.length).toBeGreaterThan(0.8);
  });

  it('knows every region of the measured table', () => {
    const known = new Set(listCloudRegions().map((r) => r.name));
    for (const place of loadAwsRttTable().places()) expect(known.has(place)).toBe(true);
  });

  it('answers symmetric lookups with the mean of both directions', () => {
    const table = loadAwsRttTable();
    expect(table.get('eu-west-2', 'us-east-1')).toBe(table.get('us-east-1', 'eu-west-2'));
  });
});
