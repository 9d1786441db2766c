import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../lint-world.js';

// A valid world with every kind of static record; each case adds one broken entry at line 24.
const BASE = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
hostnames:
  links: { workload: links }
services:
  links: { in: all }
records:
  "@":
    ALIAS: links
    MX: [{ preference: 10, exchange: mail.example.test }]
    TXT: ["v=spf1 mx -all", ["two", "strings"]]
    CAA:
      - { tag: issue, value: "letsencrypt.org; validationmethods=dns-01" }
      - { flags: 128, tag: iodef, value: "mailto:security@example.test" }
  mail: { A: [192.0.2.25], AAAA: ["2001:db8::25"], ttlSeconds: 600 }
  www: { CNAME: links.example.test. }
  _sip._tcp: { SRV: [{ priority: 10, weight: 5, port: 5060, target: sip.example.test }] }
  sip: { A: [192.0.2.26] }
  sub: { NS: [ns1.sub.example.test, ns.elsewhere.test] }
  ns1.sub: { A: [192.0.2.53] }
`;

const withLine = (line: string) => `${BASE}${line}\n`;

describe('static records', () => {
  it('a world with every record type lints clean and resolves to absolute RRsets', () => {
    const r = lintWorldText(BASE);
    expect(r.diagnostics).toEqual([]);
    const w = r.world!;
    expect(w.apexAlias).toBe('links.example.test');
    const find = (fqdn: string, type: string) => w.records.find((s) => s.fqdn === fqdn && s.type === type);
    expect(find('example.test', 'MX')!.records).toEqual([
      { type: 'MX', preference: 10, exchange: 'mail.example.test' },
    ]);
    expect(find('example.test', 'TXT')!.records[1]).toEqual({ type: 'TXT', strings: ['two', 'strings'] });
    expect(find('mail.example.test', 'A')).toMatchObject({
      ttlSeconds: 600,
      records: [{ address: '192.0.2.25' }],
    });
    expect(find('www.example.test', 'CNAME')!.records).toEqual([
      { type: 'CNAME', target: 'links.example.test' },
    ]);
    expect(find('_sip._tcp.example.test', 'SRV')!.ttlSeconds).toBe(300); // dns.ttlSeconds
    expect(find('sub.example.test', 'NS')!.records.map((x) => (x as { target: string }).target)).toEqual([
      'ns1.sub.example.test',
      'ns.elsewhere.test',
    ]);
  });

  it('splits a TXT string longer than 255 bytes into character-strings', () => {
    const w = lintWorldText(withLine(`  long: { TXT: ["${'x'.repeat(300)}"] }`)).world!;
    const txt = w.records.find((s) => s.fqdn === 'long.example.test')!.records[0] as {
      strings: readonly string[];
    };
    expect(txt.strings.map((s) => s.length)).toEqual([255, 45]);
  });

  it.each([
    [
      'CNAME with other data',
      '  both: { CNAME: links.example.test, TXT: ["x"] }',
      'record-cname-and-other-data',
      'records.both.CNAME',
      /also TXT.*only data at its name/,
    ],
    [
      'CNAME at a steered hostname',
      '  links: { CNAME: www.example.test }',
      'record-cname-and-other-data',
      'records.links.CNAME',
      /a steered hostname/,
    ],
    [
      'out-of-zone name (glue for another zone)',
      '  "ns.other.test.": { A: [192.0.2.1] }',
      'record-name-out-of-zone',
      'records["ns.other.test."]',
      /not in zone example\.test/,
    ],
    [
      'bad CAA tag',
      '  c1: { CAA: [{ tag: issues, value: letsencrypt.org }] }',
      'record-caa-syntax',
      'records.c1.CAA[0]',
      /use issue, issuewild or iodef/,
    ],
    [
      'bad CAA issuer',
      '  c2: { CAA: [{ tag: issue, value: "lets encrypt" }] }',
      'record-caa-syntax',
      'records.c2.CAA[0]',
      /not a CA's domain name/,
    ],
    [
      'bad CAA iodef',
      '  c3: { CAA: [{ tag: iodef, value: "security@example.test" }] }',
      'record-caa-syntax',
      'records.c3.CAA[0]',
      /mailto: or http/,
    ],
    [
      'bad CAA flags',
      '  c4: { CAA: [{ flags: 1, tag: issue, value: "" }] }',
      'record-caa-syntax',
      'records.c4.CAA[0]',
      /use 0, or 128/,
    ],
    [
      'IPv6 in A',
      '  v: { A: ["2001:db8::1"] }',
      'record-address-invalid',
      'records.v.A[0]',
      /not an IPv4 address/,
    ],
    [
      'one-label target',
      '  w2: { CNAME: links }',
      'record-target-relative',
      'records.w2.CNAME',
      /write links\.example\.test/,
    ],
    [
      'glue missing',
      '  dele: { NS: [ns1.dele.example.test] }',
      'record-glue-missing',
      'records.dele.NS[0]',
      /add records: \{ "ns1\.dele\.example\.test"/,
    ],
    [
      'data below a delegation',
      '  www.sub: { A: [192.0.2.80] }',
      'record-below-delegation',
      'records["www.sub"]',
      /only glue/,
    ],
    [
      'NS at the apex',
      '  "@x": { TXT: ["y"] }\n  example.test.: { NS: [ns9.example.test] }',
      'record-apex-ns',
      'records["example.test."].NS',
      /dns\.nameservers/,
    ],
    [
      'ALIAS away from the apex',
      '  al: { ALIAS: links }',
      'record-alias',
      'records.al.ALIAS',
      /only for the apex/,
    ],
    [
      'A at a steered hostname',
      '  links: { A: [192.0.2.9] }',
      'record-hostname-conflict',
      'records.links.A',
      /steered hostname/,
    ],
  ])('%s', (_name, line, code, path, says) => {
    const r = lintWorldText(withLine(line));
    const d = r.diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d!.path).toBe(path);
    expect(d!.line).toBeGreaterThanOrEqual(24); // the added line
    expect(d!.message).toMatch(says);
    expect(r.world).toBeUndefined();
  });

  it('an ALIAS to a name that is not a steered hostname is refused', () => {
    const text = BASE.replace('ALIAS: links', 'ALIAS: mail');
    const d = lintWorldText(text).diagnostics.find((x) => x.code === 'record-alias');
    expect(d?.message).toMatch(/"mail" is not a steered hostname/);
    expect(d?.line).toBe(12);
  });
});
