// Test support: an HTTP/1.1 client on a raw socket (a chosen source address, keep-alive, a
// header sent one byte at a time) and a one-shot request with any Host, Origin or body.
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawClient {
  readonly socket: Socket;
  readonly connected: Promise<unknown>;
  /** Resolves when the server (or the test) closed the connection. */
  readonly closed: Promise<unknown>;
  received(): string;
  /** Sends a keep-alive GET and resolves with the status of its response, 0 if closed first. */
  get(path: string): Promise<number>;
  /** Starts a request and sends one more header byte every `everyMs` until the connection closes. */
  dripHeaders(path: string, everyMs?: number): Promise<void>;
}

const open: Socket[] = [];

/** Destroys every socket rawClient opened (call it in afterEach). */
export function destroyRawClients(): void {
  for (const s of open.splice(0)) s.destroy();
}

export function rawClient(port: number, localAddress = '127.0.0.1'): RawClient {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  open.push(socket);
  let received = '';
  socket.on('data', (d) => {
    received += d;
  });
  socket.on('error', () => {});
  const closed = once(socket, 'close');
  const connected = once(socket, 'connect');
  /** Status of the first complete response after `from`, or undefined while incomplete. */
  const response = (from: number): number | undefined => {
    const text = received.slice(from);
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
    if (Buffer.byteLength(text.slice(end + 4)) < length) return undefined;
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  };
  return {
    socket,
    connected,
    closed,
    received: () => received,
    async get(path) {
      const from = received.length;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      for (;;) {
        const status = response(from);
        if (status !== undefined) return status;
        if (socket.destroyed) return 0;
        const got = await Promise.race([
          once(socket, 'data').then(() => 'data'),
          closed.then(() => 'closed'),
        ]);
        if (got === 'closed') return response(from) ?? 0;
      }
    },
    async dripHeaders(path, everyMs = 20) {
      await connected;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `);
      const drip = setInterval(() => {
        if (!socket.destroyed) socket.write('a');
      }, everyMs);
      try {
        await closed;
      } finally {
        clearInterval(drip);
      }
    },
  };
}

export interface SentResponse {
  readonly status: number;
  readonly text: string;
  json(): Record<string, unknown>;
}

/** One request on its own connection, with exactly the headers given (Host included). */
export function sendRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<SentResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text, json: () => (text ? JSON.parse(text) : {}) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
