// The UDP listener on both I/O paths: the batch addon (recvmmsg/sendmmsg) and node:dgram.
import { createSocket, Socket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientAddress } from '../answer.js';
import type { DnsHandler } from '../dns-handler.js';
import type { DnsQuery } from '../dns-query.js';
import { BatchUdpServer } from './batch-udp-server.js';
import { loadUdpBatch, type UdpBatchAddon, type UdpBatchSocket } from './udp-batch-addon.js';
import { type UdpIo, UdpServer } from './udp-server.js';

// On Linux the addon is built by `npm install`/`npm ci`; a missing build is a failure here.
const BATCH = process.platform === 'linux';

/** Replies with the packet, then the client's family and address bytes as the server saw them. */
function echoHandler(errors: unknown[] = []): DnsHandler & { calls: number } {
  return {
    calls: 0,
    handle(_q: DnsQuery, packet: Buffer, client: ClientAddress) {
      this.calls++;
      if (packet[0] === 0xff) throw new Error('boom');
      if (packet[0] === 0xfe) return null;
      if (packet[0] === 0xfd) return Buffer.alloc(4097, 0xfd); // over the 4 KiB output slot
      return Buffer.concat([packet.subarray(0, 64), Buffer.from([client.family]), Buffer.from(client.bytes)]);
    },
    onError: (err) => errors.push(err),
  };
}

const open: Array<UdpServer | Socket> = [];
afterEach(async () => {
  for (const x of open.splice(0)) {
    if (x instanceof UdpServer) await x.stop();
    else x.close();
  }
});

async function server(host: string, io: UdpIo, handler: DnsHandler): Promise<UdpServer> {
  const s = new UdpServer({ host, port: 0, handler, io, recvBufferBytes: 1 << 20 });
  open.push(s);
  await s.start();
  return s;
}

async function client(type: 'udp4' | 'udp6', host: string): Promise<Socket> {
  const c = createSocket(type);
  open.push(c);
  await new Promise<void>((r) => c.bind(0, host, () => r()));
  return c;
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/** Each client sends `rounds` windows of `window` distinct packets; every reply is checked. */
async function exchange(
  port: number,
  serverHost: string,
  clients: Array<{ sock: Socket; family: number; bytes: number[] }>,
  rounds: number,
  window: number,
): Promise<number> {
  let good = 0;
  const bad: string[] = [];
  for (const [ci, c] of clients.entries()) {
    c.sock.on('message', (msg) => {
      const id = msg.readUInt32BE(0);
      const body = msg.subarray(0, 64);
      const tail = [...msg.subarray(64)];
      if (id >>> 24 !== ci || body.some((b, i) => i >= 4 && b !== (id + i) % 251) || tail[0] !== c.family)
        bad.push(`client ${ci}: bad reply ${id}`);
      else if (tail.slice(1).join() !== c.bytes.join()) bad.push(`client ${ci}: address ${tail.join()}`);
      else good++;
    });
  }
  for (let r = 0; r < rounds; r++) {
    const want = good + clients.length * window;
    for (const [ci, c] of clients.entries()) {
      for (let k = 0; k < window; k++) {
        const id = ((ci << 24) | (r * window + k)) >>> 0;
        const p = Buffer.alloc(64);
        p.writeUInt32BE(id, 0);
        for (let i = 4; i < 64; i++) p[i] = (id + i) % 251;
        c.sock.send(p, port, serverHost);
      }
    }
    await until(() => good >= want || bad.length > 0, `round ${r} replies (${good}/${want})`);
    expect(bad).toEqual([]);
  }
  return good;
}

const LOOP4 = [127, 0, 0, 1];
const LOOP6 = [...Array(15).fill(0), 1];

describe.each(BATCH ? (['batch', 'dgram'] as const) : (['dgram'] as const))('UdpServer io=%s', (io) => {
  it('uses the I/O asked for', async () => {
    const s = await server('127.0.0.1', io, echoHandler());
    expect(s.ioUsed).toBe(io);
    expect(s.port).toBeGreaterThan(0);
    expect(s.batchStats() === null).toBe(io === 'dgram');
  });

  it('answers many queries from several IPv4 clients, each reply to its own source', async () => {
    const s = await server('127.0.0.1', io, echoHandler());
    const clients = await Promise.all(
      [1, 2, 3, 4].map(async () => ({ sock: await client('udp4', '127.0.0.1'), family: 4, bytes: LOOP4 })),
    );
    expect(await exchange(s.port, '127.0.0.1', clients, 20, 40)).toBe(4 * 20 * 40);
    if (io === 'batch') {
      const st = s.batchStats()!;
      expect(st.sent).toBe(3200);
      expect(st.dropped).toBe(0);
    }
  });

  it('answers IPv6 clients, and IPv4 clients of a dual-stack socket as IPv4', async () => {
    const s6 = await server('::1', io, echoHandler());
    const c6 = await Promise.all(
      [1, 2].map(async () => ({ sock: await client('udp6', '::1'), family: 6, bytes: LOOP6 })),
    );
    expect(await exchange(s6.port, '::1', c6, 10, 30)).toBe(600);
    const dual = await server('::', io, echoHandler());
    const c4 = [{ sock: await client('udp4', '127.0.0.1'), family: 4, bytes: LOOP4 }];
    expect(await exchange(dual.port, '127.0.0.1', c4, 5, 20)).toBe(100);
  });

  it('survives a throwing handler and unanswered packets; reports errors to onError', async () => {
    const errors: unknown[] = [];
    const h = echoHandler(errors);
    const s = await server('127.0.0.1', io, h);
    const c = await client('udp4', '127.0.0.1');
    const replies: Buffer[] = [];
    c.on('message', (m) => replies.push(m));
    c.send(Buffer.from([0xff, 1, 2]), s.port, '127.0.0.1');
    c.send(Buffer.from([0xfe, 1, 2]), s.port, '127.0.0.1');
    c.send(Buffer.from([0x01, 1, 2]), s.port, '127.0.0.1');
    await until(() => replies.length >= 1 && h.calls >= 3, 'the good reply');
    expect(replies.map((r) => r[0])).toEqual([1]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });

  it('stop() frees the port at once and leaks no file descriptor', async () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let i = 0; i < 50; i++) {
      const s = new UdpServer({ host: '127.0.0.1', port: 0, handler: echoHandler(), io });
      await s.start();
      const port = s.port;
      await s.stop();
      await s.stop(); // idempotent
      const again = new UdpServer({ host: '127.0.0.1', port, handler: echoHandler(), io });
      await again.start();
      expect(again.port).toBe(port);
      await again.stop();
    }
    await new Promise((r) => setImmediate(r));
    expect(fds()).toBeLessThanOrEqual(before);
  });

  it('fails to listen on a taken port with MERIDIAN_DNS_LISTEN', async () => {
    const s = await server('127.0.0.1', io, echoHandler());
    const t = new UdpServer({ host: '127.0.0.1', port: s.port, handler: echoHandler(), io });
    await expect(t.start()).rejects.toMatchObject({ code: 'MERIDIAN_DNS_LISTEN' });
  });
});

describe('UdpServer io=dgram: replies that cannot be sent', () => {
  // The kernel never hands out source port 0, and only a raw socket (root) can forge one: so the
  // datagram is injected as a 'message' event of the server's own bound socket, and everything
  // from there on (the handler, socket.send, the kernel) is the real path.
  async function dgramServer(h: DnsHandler): Promise<{ s: UdpServer; sock: Socket }> {
    const bind = vi.spyOn(Socket.prototype, 'bind');
    try {
      const s = await server('127.0.0.1', 'dgram', h);
      return { s, sock: bind.mock.contexts[0] as Socket };
    } finally {
      bind.mockRestore();
    }
  }

  it('drops and counts a query from source port 0 (no reply can reach it) and keeps serving', async () => {
    const errors: unknown[] = [];
    const h = echoHandler(errors);
    const { s, sock } = await dgramServer(h);
    const query = Buffer.from([0x01, 1, 2]);
    expect(() =>
      sock.emit('message', query, { address: '127.0.0.1', family: 'IPv4', port: 0, size: 3 }),
    ).not.toThrow();
    expect(h.calls).toBe(0); // dropped before the answer is computed
    expect(s.drops()).toEqual({ sourcePortZero: 1, sendFailed: 0 });
    const c = await client('udp4', '127.0.0.1');
    const replies: Buffer[] = [];
    c.on('message', (m) => replies.push(m));
    c.send(query, s.port, '127.0.0.1');
    await until(() => replies.length === 1, 'an ordinary reply');
    expect(errors).toEqual([]);
  });

  it('counts a reply the kernel refuses later (EACCES to a broadcast address) instead of raising it', async () => {
    const errors: unknown[] = [];
    const { s, sock } = await dgramServer(echoHandler(errors));
    sock.emit('message', Buffer.from([0x01, 1, 2]), {
      address: '255.255.255.255',
      family: 'IPv4',
      port: 53,
      size: 3,
    });
    await until(() => s.drops().sendFailed === 1, 'the failed send to be counted');
    expect(errors).toEqual([]);
    expect(s.drops().sourcePortZero).toBe(0);
  });
});

describe.runIf(BATCH)('UdpServer io=batch specifics', () => {
  it('drops and counts a datagram from source port 0 before answering it', async () => {
    // The addon as built, except that the source port it reports for datagrams starting with 0xee
    // is 0 (what recvmmsg reports for a forged one). The C side still holds the real address: a
    // reply written by the JavaScript side would reach the client.
    const real = loadUdpBatch();
    if (!real.ok) throw new Error(real.reason);
    let sockInfo: UdpBatchSocket | null = null;
    const addon: UdpBatchAddon = {
      ...real.addon,
      open(...args) {
        sockInfo = real.addon.open(...args);
        return sockInfo;
      },
      start(handle, onBatch) {
        real.addon.start(handle, (count) => {
          const info = sockInfo!;
          const meta = new Int32Array(info.meta);
          const input = new Uint8Array(info.input);
          for (let i = 0; i < count; i++)
            if (input[i * info.inSlot] === 0xee) meta[i * info.metaStride + 2] = 0;
          onBatch(count);
        });
      },
    };
    const h = echoHandler();
    const b = new BatchUdpServer(addon, { host: '127.0.0.1', port: 0, handler: h });
    b.start();
    try {
      const c = await client('udp4', '127.0.0.1');
      const replies: Buffer[] = [];
      c.on('message', (m) => replies.push(m));
      c.send(Buffer.from([0xee, 1, 2]), b.port, '127.0.0.1');
      c.send(Buffer.from([0x01, 1, 2]), b.port, '127.0.0.1');
      await until(() => replies.length >= 1 && (b.stats()?.received ?? 0) >= 2, 'the ordinary reply');
      expect(replies.map((r) => r[0])).toEqual([0x01]);
      expect(h.calls).toBe(1);
      expect(b.sourcePortZero).toBe(1);
    } finally {
      b.stop();
    }
  });

  it('auto picks batch when the addon is built', async () => {
    expect(loadUdpBatch()).toMatchObject({ ok: true });
    const s = await server('127.0.0.1', 'auto', echoHandler());
    expect(s.ioUsed).toBe('batch');
    expect(s.ioFallbackReason).toBeNull();
  });

  it('takes datagrams of any size (64 KiB slots) and drops a reply over the 4 KiB output slot', async () => {
    const s = await server('127.0.0.1', 'batch', echoHandler());
    const c = await client('udp4', '127.0.0.1');
    const replies: Buffer[] = [];
    c.on('message', (m) => replies.push(m));
    c.send(Buffer.alloc(60_000, 1), s.port, '127.0.0.1');
    c.send(Buffer.alloc(4_000, 2), s.port, '127.0.0.1');
    c.send(Buffer.alloc(10, 0xfd), s.port, '127.0.0.1');
    c.send(Buffer.alloc(10, 4), s.port, '127.0.0.1');
    await until(() => replies.length >= 3 && (s.batchStats()?.received ?? 0) >= 4, 'replies');
    expect(replies.map((r) => [r[0], r.length])).toEqual([
      [1, 69],
      [2, 69],
      [4, 15],
    ]);
    expect(s.batchStats()).toMatchObject({ received: 4, truncated: 0, sent: 3 });
  });

  it('can be stopped from inside the handler; the port is free afterwards', async () => {
    let s: UdpServer | null = null;
    let calls = 0;
    let stopped: Promise<void> | null = null;
    const h: DnsHandler = {
      handle: () => {
        calls++;
        stopped ??= s?.stop() ?? null;
        return Buffer.from([1]);
      },
      onError: () => {},
    };
    s = await server('127.0.0.1', 'batch', h);
    const port = s.port;
    const c = await client('udp4', '127.0.0.1');
    for (let i = 0; i < 10; i++) c.send(Buffer.from([i]), port, '127.0.0.1');
    await until(() => stopped !== null, 'a packet');
    await stopped;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(s.batchStats()).toBeNull();
    const again = await server('127.0.0.1', 'batch', echoHandler());
    expect(again.port).toBeGreaterThan(0);
    const t = new UdpServer({ host: '127.0.0.1', port, handler: echoHandler(), io: 'batch' });
    open.push(t);
    await t.start();
    expect(t.port).toBe(port);
  });

  it('a worker that exits with a polling socket (or one just stopped) neither crashes nor keeps the port', async () => {
    const addon = fileURLToPath(
      new URL('../../../native/udp-batch/build/Release/udp_batch.node', import.meta.url),
    );
    for (const stop of [false, true]) {
      for (let i = 0; i < 5; i++) {
        const w = new Worker(
          `const a = require(${JSON.stringify(addon)});
           const s = a.open('127.0.0.1', 0, false, 0);
           a.start(s.handle, () => {});
           if (${stop}) a.stop(s.handle);
           require('node:worker_threads').parentPort.postMessage(s.port);`,
          { eval: true },
        );
        const port = await new Promise<number>((r) => w.once('message', r));
        await w.terminate(); // resolves 1 on Node 20/22, undefined on Node 24
        const again = new UdpServer({ host: '127.0.0.1', port, handler: echoHandler(), io: 'batch' });
        open.push(again);
        await again.start();
        expect(again.port).toBe(port);
        await again.stop();
      }
    }
  });
});
