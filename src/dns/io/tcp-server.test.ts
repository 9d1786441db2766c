// The TCP listener against real sockets on 127.0.0.x: framing, backpressure, per-client and overall
// connection caps, and deadlines per message (driven by a ManualClock, so nothing here sleeps).
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { ClientAddress } from '../answer.js';
import type { DnsHandler } from '../dns-handler.js';
import type { DnsQuery } from '../dns-query.js';
import { TcpServer, type TcpServerOptions } from './tcp-server.js';

/** Answers every message of 12+ bytes with `size` bytes: its first 2 bytes (the ID), then 0xaa. */
function sizedHandler(size = 64): DnsHandler & { calls: number } {
  return {
    calls: 0,
    handle(_q: DnsQuery, packet: Buffer, _client: ClientAddress) {
      this.calls++;
      if (packet.length < 12) return null;
      const res = Buffer.alloc(size, 0xaa);
      packet.copy(res, 0, 0, 2);
      return res;
    },
    onError: () => {},
  };
}

/** A 12-byte message with `id`, framed (2-byte length first). */
function frame(id: number): Buffer {
  const f = Buffer.alloc(14);
  f.writeUInt16BE(12, 0);
  f.writeUInt16BE(id, 2);
  return f;
}

const open: Array<TcpServer | Socket> = [];
afterEach(async () => {
  for (const x of open.splice(0)) {
    if (x instanceof TcpServer) await x.stop();
    else x.destroy();
  }
});

async function server(opts: Partial<TcpServerOptions> = {}): Promise<TcpServer> {
  const s = new TcpServer({ host: '127.0.0.1', port: 0, handler: sizedHandler(), ...opts });
  open.push(s);
  await s.start();
  return s;
}

interface Client {
  sock: Socket;
  closed: () => boolean;
  /** The answers' IDs in arrival order. */
  ids: number[];
}

async function client(port: number, from = '127.0.0.1'): Promise<Client> {
  const sock = connect({ port, host: '127.0.0.1', localAddress: from });
  open.push(sock);
  let closed = false;
  let buf = Buffer.alloc(0);
  const ids: number[] = [];
  sock.on('error', () => {});
  sock.on('close', () => {
    closed = true;
  });
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      ids.push(buf.readUInt16BE(2));
      buf = buf.subarray(2 + buf.readUInt16BE(0));
    }
  });
  await new Promise<void>((resolve) => {
    sock.once('connect', () => resolve());
    sock.once('close', () => resolve());
  });
  return { sock, closed: () => closed, ids };
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('TcpServer', () => {
  it('answers pipelined queries in order, whatever the segment boundaries', async () => {
    const s = await server({ clock: new ManualClock() });
    const c = await client(s.port);
    const all = Buffer.concat([frame(1), frame(2), frame(3), frame(4)]);
    c.sock.write(all.subarray(0, 1));
    await until(() => s.stats().bytesIn === 1, 'the first byte');
    c.sock.write(all.subarray(1, 17)); // the rest of 1, the start of 2
    c.sock.write(all.subarray(17));
    await until(() => c.ids.length === 4, 'four answers');
    expect(c.ids).toEqual([1, 2, 3, 4]);
  });

  it('stops reading a connection whose answers are not read (bounded queue), and resumes once they are', async () => {
    const h = sizedHandler(1024);
    const s = await server({ handler: h, clock: new ManualClock() });
    const c = await client(s.port);
    c.sock.pause(); // read nothing
    const N = 20_000; // 20 MB of answers: more than the kernel buffers of both ends hold
    c.sock.write(Buffer.concat(Array.from({ length: N }, (_, i) => frame(i & 0xffff))));
    let peak = 0;
    await until(() => {
      const st = s.stats();
      peak = Math.max(peak, st.queuedAnswerBytes);
      return st.paused === 1;
    }, 'the server to stop reading');
    const bound = 2 * 16 * 1024 + 1026; // the socket's high-water mark plus one piece of answers
    expect(s.stats().queuedAnswerBytes).toBeLessThanOrEqual(bound);
    expect(peak).toBeLessThanOrEqual(bound);
    expect(h.calls).toBeLessThan(N);
    c.sock.resume();
    await until(() => c.ids.length === N, `all ${N} answers`);
    expect(c.ids.every((id, i) => id === (i & 0xffff))).toBe(true);
    expect(s.stats()).toMatchObject({ paused: 0, connections: 1 });
    expect(s.stats().readPauses).toBeGreaterThanOrEqual(1);
  });

  it('closes a connection whose answers stay unread past the message deadline', async () => {
    const clock = new ManualClock();
    const s = await server({ handler: sizedHandler(1024), clock, messageTimeoutMs: 2_000 });
    const c = await client(s.port);
    c.sock.pause();
    c.sock.write(Buffer.concat(Array.from({ length: 20_000 }, (_, i) => frame(i & 0xffff))));
    await until(() => s.stats().paused === 1, 'the server to stop reading');
    clock.advance(1_999);
    expect(s.stats().connections).toBe(1);
    clock.advance(1);
    expect(s.stats().connections).toBe(0);
    expect(s.stats().closed.writeTimeout).toBe(1);
  });

  it('a connection dripping one byte at a time is closed at the message deadline, though each gap is short', async () => {
    const clock = new ManualClock();
    const s = await server({ clock, idleTimeoutMs: 10_000, messageTimeoutMs: 1_000 });
    const c = await client(s.port);
    await until(() => s.stats().connections === 1, 'the connection');
    const msg = frame(7);
    for (let i = 0; i < 3; i++) {
      c.sock.write(msg.subarray(i, i + 1));
      await until(() => s.stats().bytesIn === i + 1, `byte ${i + 1}`);
      clock.advance(i < 2 ? 400 : 199); // 999 ms after the first byte
    }
    expect(s.stats().connections).toBe(1);
    clock.advance(1);
    expect(s.stats().connections).toBe(0);
    expect(s.stats().closed.messageTimeout).toBe(1);
    await until(c.closed, 'the client to see the close');
    expect(c.ids).toEqual([]);
  });

  it('only a whole query restarts the idle timer', async () => {
    const clock = new ManualClock();
    const s = await server({ clock, idleTimeoutMs: 1_000, messageTimeoutMs: 500 });
    const c = await client(s.port);
    await until(() => s.stats().connections === 1, 'the connection');
    clock.advance(999);
    c.sock.write(frame(9));
    await until(() => c.ids.length === 1, 'the answer');
    clock.advance(999);
    expect(s.stats().connections).toBe(1);
    clock.advance(1);
    expect(s.stats().connections).toBe(0);
    expect(s.stats().closed.idleTimeout).toBe(1);
  });

  it('refuses connections past the per-client cap; another client address is still served', async () => {
    const s = await server({ clock: new ManualClock(), maxConnectionsPerClient: 3, maxConnections: 10 });
    const drips: Client[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await client(s.port, '127.0.0.1');
      d.sock.write(Buffer.from([0]));
      drips.push(d);
      await until(() => s.stats().connections === i + 1, `drip ${i + 1}`);
    }
    const fourth = await client(s.port, '127.0.0.1');
    fourth.sock.write(frame(4));
    await until(fourth.closed, 'the fourth connection from 127.0.0.1 to be closed', 5_000);
    expect(fourth.ids).toEqual([]);
    const other = await client(s.port, '127.0.0.2');
    other.sock.write(frame(5));
    await until(() => other.ids.length === 1, 'the answer to 127.0.0.2');
    expect(drips.map((d) => d.closed())).toEqual([false, false, false]);
    expect(s.stats().closed.perClientLimit).toBe(1);
  });

  it('at the overall cap a new connection replaces the oldest one without a query, not a served one', async () => {
    const s = await server({ clock: new ManualClock(), maxConnections: 4, maxConnectionsPerClient: 2 });
    const served = await client(s.port, '127.0.0.5');
    served.sock.write(frame(1));
    await until(() => served.ids.length === 1, 'the served client');
    const drips: Client[] = [];
    for (const from of ['127.0.0.3', '127.0.0.3', '127.0.0.4']) {
      const d = await client(s.port, from);
      d.sock.write(Buffer.from([0]));
      drips.push(d);
      await until(() => s.stats().connections === drips.length + 1, `drip from ${from}`);
    }
    const legit = await client(s.port, '127.0.0.2');
    legit.sock.write(frame(2));
    await until(() => legit.ids.length === 1, 'the answer to the new client', 5_000);
    await until(drips[0]!.closed, 'the oldest drip to be closed');
    expect(drips.map((d) => d.closed())).toEqual([true, false, false]);
    expect(served.closed()).toBe(false);
    expect(s.stats()).toMatchObject({ connections: 4, closed: { evicted: 1 } });
    // the served connection still answers
    served.sock.write(frame(3));
    await until(() => served.ids.length === 2, 'a second answer on the served connection');
  });

  it('closes a connection that sends a message shorter than a DNS header', async () => {
    const s = await server({ clock: new ManualClock() });
    const c = await client(s.port);
    c.sock.write(Buffer.from([0, 3, 1, 2, 3]));
    await until(c.closed, 'the close');
    expect(s.stats().closed.notDns).toBe(1);
  });

  it('stop() closes every connection and frees the port', async () => {
    const s = await server({ clock: new ManualClock() });
    const c = await client(s.port);
    await until(() => s.stats().connections === 1, 'the connection');
    const port = s.port;
    await s.stop();
    await until(c.closed, 'the client to see the close');
    const again = await server({ port, clock: new ManualClock() });
    expect(again.port).toBe(port);
  });
});
