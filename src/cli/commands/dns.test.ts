// `meridian dns` flags: the DNS TCP limits are documented in --help and checked before start.
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { main } from '../main.js';
import { parsePositiveInteger } from './dns.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('meridian dns TCP limit flags', () => {
  it('are listed in --help with their defaults', async () => {
    const { code, out } = await run('help', 'dns');
    expect(code).toBe(0);
    for (const [flag, def] of [
      ['--tcp-max-connections <n>', '256'],
      ['--tcp-max-per-client <n>', '16'],
      ['--tcp-idle-timeout <ms>', '10000'],
      ['--tcp-message-timeout <ms>', '2000'],
    ] as const) {
      expect(out).toContain(flag);
      expect(out.replace(/\s+/g, ' ')).toContain(`(default: "${def}")`);
    }
  });

  it('refuse what is not a whole number of at least 1, with exit 2 and the flag named', async () => {
    for (const [flag, value] of [
      ['--tcp-max-per-client', '0'],
      ['--tcp-max-connections', 'lots'],
      ['--tcp-idle-timeout', '1.5'],
      ['--tcp-message-timeout', '-1'],
    ] as const) {
      const r = await run('dns', 'examples/world.yaml', '--admin', 'off', flag, value);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`meridian: ${flag} "${value}" is not a whole number of at least 1`);
    }
  });

  it('parsePositiveInteger takes whole numbers from 1', () => {
    expect(parsePositiveInteger('1', '--x')).toBe(1);
    expect(parsePositiveInteger('65536', '--x')).toBe(65_536);
    expect(() => parsePositiveInteger('', '--x')).toThrow(/--x "" is not a whole number/);
    expect(() => parsePositiveInteger('1e3', '--x')).toThrow(/not a whole number/);
  });
});

describe('meridian dns fleet flags', () => {
  it('lists --nats and --fleet in --help, and refuses --fleet without --nats or a bad --nats', async () => {
    const help = await run('help', 'dns');
    expect(help.out).toContain('--nats <url,...>');
    expect(help.out).toContain('--fleet <name>');
    const noNats = await run('dns', 'examples/world.yaml', '--admin', 'off', '--fleet', 'x');
    expect(noNats).toMatchObject({ code: 2, err: 'meridian: --fleet needs --nats URL[,URL…]' });
    const bad = await run('dns', 'examples/world.yaml', '--admin', 'off', '--nats', 'not a url');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not a NATS server URL');
  });
});
