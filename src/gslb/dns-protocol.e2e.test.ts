// Every protocol bullet of `meridian dns`, end to end: the GSLB on 127.0.0.1 port 0, queried
// with real dig and kdig (Debian bind9-dnsutils and knot-dnsutils).
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digShort, type E2e, runClient, startE2e, until } from './test-support/e2e-world.js';

let e: E2e;

beforeAll(async () => {
  e = await startE2e({ tcpIdleTimeoutMs: 300, tcpMaxConnections: 4 });
  // every region up before the steering tests
  await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
});

afterAll(async () => {
  await e?.stop();
});

const status = (out: string) => /status: ([A-Z]+)/.exec(out)?.[1];
const flags = (out: string) => (/;; flags: ([a-z ]*);/.exec(out)?.[1] ?? '').trim().split(' ');
const section = (out: string, name: string) => {
  const m = new RegExp(`;; ${name} SECTION:\\n([\\s\\S]*?)(\\n\\n|$)`).exec(out);
  return (m?.[1] ?? '').split('\n').filter(Boolean);
};

describe('meridian dns on the wire (dig, kdig)', () => {
  it('answers A authoritatively with AA, RA clear, and the letter case of the question preserved', async () => {
    const out = await runClient('dig', e.port, ['LiNkS.ExAmPlE.TeSt', 'A', '+subnet=192.0.2.0/24']);
    expect(status(out)).toBe('NOERROR');
    expect(flags(out)).toContain('aa');
    expect(flags(out)).not.toContain('ra');
    expect(section(out, 'QUESTION')[0]).toContain('LiNkS.ExAmPlE.TeSt.');
    expect(section(out, 'ANSWER')[0]).toMatch(/^LiNkS\.ExAmPlE\.TeSt\.\s+\d+\s+IN\s+A\s+127\.0\.1\.1$/);
  });

  it('steers by ECS: each network gets its nearest region, and the scope says how far the answer holds', async () => {
    expect(await digShort(e.port, ['links.example.test', '+subnet=192.0.2.0/24'])).toEqual(['127.0.1.1']);
    expect(await digShort(e.port, ['links.example.test', '+subnet=198.51.100.0/24'])).toEqual(['127.0.2.1']);
    expect(await digShort(e.port, ['links.example.test', '+subnet=203.0.113.0/24'])).toEqual(['127.0.3.1']);
    const cape = await runClient('dig', e.port, ['links.example.test', '+subnet=203.0.113.0/24']);
    expect(cape).toContain('CLIENT-SUBNET: 203.0.113.0/24/24');
    // a /15 with a nested /24 of its own: the scope narrows to /24 so resolvers do not over-share
    const wide = await runClient('dig', e.port, ['links.example.test', '+subnet=198.19.0.0/16']);
    expect(wide).toContain('CLIENT-SUBNET: 198.19.0.0/16/24');
    expect(await digShort(e.port, ['links.example.test', '+subnet=198.18.7.0/24'])).toEqual(['127.0.3.1']);
    // a failover name does not depend on the client: scope 0
    const fo = await runClient('dig', e.port, ['links-fo.example.test', '+subnet=203.0.113.0/24']);
    expect(fo).toContain('CLIENT-SUBNET: 203.0.113.0/24/0');
    // kdig agrees
    const k = await runClient('kdig', e.port, ['links.example.test', 'A', '+subnet=198.51.100.0/24']);
    expect(k).toMatch(/127\.0\.2\.1/);
    expect(k).toMatch(/CLIENT-SUBNET: 198\.51\.100\.0\/24\/24/);
  });

  it('steers by an IPv6 ECS subnet too (family 2), and echoes it with its scope', async () => {
    expect(await digShort(e.port, ['links.example.test', '+subnet=2001:db8:30:7::/56'])).toEqual([
      '127.0.3.1',
    ]);
    expect(await digShort(e.port, ['links.example.test', '+subnet=2001:db8:20::/56'])).toEqual(['127.0.2.1']);
    const out = await runClient('dig', e.port, ['links.example.test', '+subnet=2001:db8:30:7::/56']);
    // the /56 source prefix keeps 2001:db8:30:00; the answer holds for the whole /48 network
    expect(out).toContain('CLIENT-SUBNET: 2001:db8:30::/56/48');
    const k = await runClient('kdig', e.port, ['links.example.test', 'A', '+subnet=2001:db8:20::/56']);
    expect(k).toMatch(/127\.0\.2\.1/);
  });

  it('without ECS locates by the source address (127.0.0.1: unknown → treated as at home)', async () => {
    const out = await runClient('dig', e.port, ['links.example.test']);
    expect(out).not.toContain('CLIENT-SUBNET');
    expect(await digShort(e.port, ['links.example.test'])).toEqual(['127.0.1.1']);
  });

  it('answers AAAA from region IPv6 addresses, and NODATA where a region has none', async () => {
    expect(await digShort(e.port, ['links.example.test', 'AAAA', '+subnet=198.51.100.0/24'])).toEqual([
      'fd00::2',
    ]);
    const out = await runClient('dig', e.port, ['links.example.test', 'AAAA', '+subnet=203.0.113.0/24']);
    expect(status(out)).toBe('NOERROR');
    expect(section(out, 'ANSWER')).toEqual([]);
    expect(section(out, 'AUTHORITY')[0]).toMatch(/example\.test\.\s+\d+\s+IN\s+SOA/);
  });

  it('NXDOMAIN and NODATA carry the SOA with the negative TTL (RFC 2308)', async () => {
    const nx = await runClient('dig', e.port, ['nope.example.test', 'A']);
    expect(status(nx)).toBe('NXDOMAIN');
    expect(flags(nx)).toContain('aa');
    expect(section(nx, 'AUTHORITY')[0]).toMatch(
      /^example\.test\.\s+45\s+IN\s+SOA\s+ns1\.example\.test\. hostmaster\.example\.test\. \d+ 3600 600 604800 45$/,
    );
    const nodata = await runClient('dig', e.port, ['ns1.example.test', 'MX']);
    expect(status(nodata)).toBe('NOERROR');
    expect(section(nodata, 'ANSWER')).toEqual([]);
    expect(section(nodata, 'AUTHORITY')[0]).toMatch(/^example\.test\.\s+45\s+IN\s+SOA/);
    const deep = await runClient('kdig', e.port, ['a.b.nope.example.test', 'A']);
    expect(deep).toContain('NXDOMAIN');
  });

  it('SOA and NS at the apex, with glue for in-zone name servers', async () => {
    const soa = await runClient('dig', e.port, ['example.test', 'SOA']);
    expect(section(soa, 'ANSWER')[0]).toMatch(/^example\.test\.\s+300\s+IN\s+SOA\s+ns1\.example\.test\./);
    const ns = await runClient('dig', e.port, ['example.test', 'NS']);
    expect(section(ns, 'ANSWER')).toHaveLength(8);
    const glue = section(ns, 'ADDITIONAL').filter((l) => !l.startsWith(';'));
    expect(glue.some((l) => /^ns1\.example\.test\.\s+300\s+IN\s+A\s+127\.0\.0\.1$/.test(l))).toBe(true);
    expect(glue.some((l) => /^ns8\.example\.test\.\s+300\s+IN\s+AAAA\s+::1$/.test(l))).toBe(true);
    expect(await digShort(e.port, ['ns3.example.test', 'A'])).toEqual(['127.0.0.3']);
  });

  it('REFUSED outside the zone, with AA clear', async () => {
    const out = await runClient('dig', e.port, ['www.example.com', 'A']);
    expect(status(out)).toBe('REFUSED');
    expect(flags(out)).not.toContain('aa');
    const lookalike = await runClient('dig', e.port, ['notexample.test', 'A']);
    expect(status(lookalike)).toBe('REFUSED');
  });

  it('ANY is answered minimally (RFC 8482): one RRset', async () => {
    const out = await runClient('dig', e.port, ['links.example.test', 'ANY', '+subnet=198.51.100.0/24']);
    expect(status(out)).toBe('NOERROR');
    const answer = section(out, 'ANSWER');
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatch(/IN\s+A\s+127\.0\.2\.1$/);
    const apex = await runClient('dig', e.port, ['example.test', 'ANY']);
    expect(section(apex, 'ANSWER').map((l) => l.split(/\s+/)[3])).toEqual(['SOA']);
  });

  it('EDNS0: advertises its own payload size; BADVERS for version 1', async () => {
    const out = await runClient('dig', e.port, ['links.example.test', '+bufsize=4096']);
    expect(out).toMatch(/EDNS: version: 0, flags:; udp: 1232/);
    const bad = await runClient('dig', e.port, ['links.example.test', '+edns=1', '+noednsnegotiation']);
    expect(status(bad)).toBe('BADVERS');
    const kbad = await runClient('kdig', e.port, ['links.example.test', '+edns=1']);
    expect(kbad).toContain('BADVERS');
  });

  it('FORMERR for a malformed ECS option (address longer than its prefix), NOTIMP for opcode STATUS', async () => {
    // family 1, source /24, scope 0, four address bytes: RFC 7871 §7.1.1 says FORMERR
    const bad = await runClient('dig', e.port, ['links.example.test', '+ednsopt=8:00011800c6336400']);
    expect(status(bad)).toBe('FORMERR');
    // family 3 does not exist
    const fam = await runClient('kdig', e.port, ['links.example.test', '+ednsopt=8:00031800c63364']);
    expect(fam).toContain('FORMERR');
    const notimp = await runClient('dig', e.port, ['links.example.test', '+opcode=status']);
    expect(status(notimp)).toBe('NOTIMP');
  });

  it('TC when the answer exceeds 512 bytes without EDNS, then the same query in full over TCP', async () => {
    const udp = await runClient('dig', e.port, ['example.test', 'NS', '+noedns', '+ignore']);
    expect(flags(udp)).toContain('tc');
    expect(section(udp, 'ANSWER')).toEqual([]);
    const retried = await runClient('dig', e.port, ['example.test', 'NS', '+noedns']);
    expect(retried).toContain('Truncated, retrying in TCP mode');
    expect(section(retried, 'ANSWER')).toHaveLength(8);
    // with EDNS the same answer fits in UDP
    const edns = await runClient('dig', e.port, ['example.test', 'NS']);
    expect(flags(edns)).not.toContain('tc');
    expect(section(edns, 'ANSWER')).toHaveLength(8);
  });

  it('TCP: several queries on one connection (dig +keepopen, kdig +tcp)', async () => {
    const out = await runClient('dig', e.port, [
      '+tcp',
      '+keepopen',
      'links.example.test',
      '+subnet=203.0.113.0/24',
      'links-fo.example.test',
      'api.example.test',
    ]);
    expect(out.match(/status: NOERROR/g)).toHaveLength(3);
    expect(out).toContain('(TCP)');
    const k = await runClient('kdig', e.port, ['+tcp', 'api.example.test', 'A']);
    expect(k).toMatch(/api\.example\.test\.\s+120\s+IN\s+A\s+127\.0\.1\.1/);
  });

  it('TCP: an idle connection is closed by the server', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const s = connect(e.port, '127.0.0.1');
      s.on('close', () => resolve(true));
      s.on('error', () => {});
      setTimeout(() => resolve(false), 5_000).unref();
    });
    expect(closed).toBe(true);
  });

  it('TCP: past the per-client bound a connection is closed unanswered; at the overall bound a new one replaces the longest idle', async () => {
    const small = await startE2e({ tcpMaxConnections: 3, tcpMaxConnectionsPerClient: 2 });
    try {
      const open = [await tcpQuery(small.port), await tcpQuery(small.port)];
      expect(open.map((o) => o.answered)).toEqual([true, true]);
      const third = await tcpQuery(small.port);
      expect(third.answered).toBe(false);
      const other = await tcpQuery(small.port, '127.0.0.2');
      expect(other.answered).toBe(true);
      const fourth = await tcpQuery(small.port, '127.0.0.3');
      expect(fourth.answered).toBe(true);
      await until('the longest-idle connection to be closed', async () => open[0]!.closed());
      expect([open[1]!.closed(), other.closed()]).toEqual([false, false]);
      for (const o of [...open, other, fourth]) o.socket.destroy();
      await until('127.0.0.1 to get a slot again', async () => {
        const again = await tcpQuery(small.port);
        again.socket.destroy();
        return again.answered;
      });
    } finally {
      await small.stop();
    }
  });

  it('drops responses (QR set) and sub-header packets instead of answering them', async () => {
    const sock = createSocket('udp4');
    const replies: Buffer[] = [];
    sock.on('message', (m) => replies.push(m));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    sock.send(Buffer.from([1, 2, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0]), e.port, '127.0.0.1');
    sock.send(Buffer.from([1, 2, 3]), e.port, '127.0.0.1');
    // a real query last: once its answer arrives, the two before it were handled (in order)
    sock.send(
      Buffer.from(
        'abcd010000010000000000000361706907657861 6d706c650474657374000001 0001'.replace(/ /g, ''),
        'hex',
      ),
      e.port,
      '127.0.0.1',
    );
    await until('the real answer', async () => replies.length >= 1);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.readUInt16BE(0)).toBe(0xabcd);
    sock.close();
  });
});

/** Opens a TCP connection from `from` and sends one query for api.example.test; keeps the socket open. */
function tcpQuery(
  port: number,
  from = '127.0.0.1',
): Promise<{ answered: boolean; socket: Socket; closed: () => boolean }> {
  const q = Buffer.from(
    'abcd010000010000000000000361706907657861 6d706c650474657374000001 0001'.replace(/ /g, ''),
    'hex',
  );
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: from });
    let closed = false;
    const done = (answered: boolean) => resolve({ answered, socket, closed: () => closed });
    socket.on('data', () => done(true));
    socket.on('close', () => {
      closed = true;
      done(false);
    });
    socket.on('error', () => {});
    socket.on('connect', () => {
      const framed = Buffer.alloc(2 + q.length);
      framed.writeUInt16BE(q.length, 0);
      q.copy(framed, 2);
      socket.write(framed);
    });
  });
}
