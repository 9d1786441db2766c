// The SOA serial without `dns.serial`: two instances on one world file serve the same serial, a
// restart keeps it, and an edit never makes it smaller (RFC 1982), even with an older mtime.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialGreater } from '../operator-state/index.js';
import { Gslb } from './gslb.js';
import { type E2e, runClient, startE2e } from './test-support/e2e-world.js';

let e: E2e;
let b: Gslb;
const startB = async () => {
  const g = new Gslb({
    worldPath: e.worldPath,
    listen: { host: '127.0.0.1', port: 0 },
    admin: null,
    logger: pino({ level: 'silent' }),
    watch: false,
  });
  await g.start();
  return g;
};
// ahead of the real mtime A first loaded, so A's history and B's meet at the first edit
const T0 = Math.floor(Date.now() / 1000) + 100_000;

beforeAll(async () => {
  e = await startE2e();
  // a fixed mtime before both instances load the file
  utimesSync(e.worldPath, T0, T0);
  await e.gslb.reload('test');
  b = await startB();
});
afterAll(async () => {
  await b?.stop();
  await e?.stop();
});

const serialOnWire = async (port: number) => {
  const out = await runClient('dig', port, ['example.test', 'SOA', '+short']);
  return Number(out.trim().split(/\s+/)[2]);
};
const serials = () => [e.gslb.engine.snapshot.zone.soaSerial, b.engine.snapshot.zone.soaSerial];

describe('SOA serial', () => {
  it('is the same on two instances of one world file, on the wire too, and survives a restart', async () => {
    // A started before the mtime was set and reloaded an unchanged file: it keeps its first serial
    const [a = 0] = serials();
    expect(b.engine.snapshot.zone.soaSerial).toBe(T0);
    expect(await serialOnWire(b.dnsPort)).toBe(T0);
    await b.stop();
    b = await startB();
    expect(b.engine.snapshot.zone.soaSerial).toBe(T0);
    expect(b.state().soa).toEqual({ serial: T0, source: 'world file modification time' });
    expect(serialGreater(T0, a)).toBe(true);
  });

  it('an edit moves it forward; an edit with an older mtime still moves it forward on both', async () => {
    const text = readFileSync(e.worldPath, 'utf8');
    writeFileSync(e.worldPath, text.replace('ttlSeconds: 120', 'ttlSeconds: 121'));
    utimesSync(e.worldPath, T0 + 60, T0 + 60);
    await e.gslb.reload('test');
    await b.reload('test');
    expect(serials()).toEqual([T0 + 60, T0 + 60]);
    // restored from a backup with its old mtime: one more, never back
    writeFileSync(e.worldPath, text);
    utimesSync(e.worldPath, T0 - 3600, T0 - 3600);
    await e.gslb.reload('test');
    await b.reload('test');
    expect(serials()).toEqual([T0 + 61, T0 + 61]);
    expect(serialGreater(T0 + 61, T0 + 60)).toBe(true);
    expect(await serialOnWire(e.port)).toBe(T0 + 61);
  });

  it('a world file that sets dns.serial is served with exactly that serial', async () => {
    const text = readFileSync(e.worldPath, 'utf8');
    writeFileSync(
      e.worldPath,
      text.replace('  negativeTtlSeconds: 45', '  negativeTtlSeconds: 45\n  serial: 2026120601'),
    );
    await b.reload('test');
    expect(b.engine.snapshot.zone.soaSerial).toBe(2026120601);
    expect(b.state().soa).toEqual({ serial: 2026120601, source: 'world file dns.serial' });
  });
});
