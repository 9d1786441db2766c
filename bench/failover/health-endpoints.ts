// Child process for the failover bench and soak: one /healthz endpoint per address, switched
// between modes over IPC so that a failure or recovery starts at a precisely known instant.
//   ok       200 "ok" (optionally delayed by U(0, jitterMaxMs))
//   refuse   listener closed and every open connection destroyed: what a killed process looks like
//   status   500 to every request
//   grey     connections accepted, requests never answered (requests left hanging stay unanswered
//            after recovery until their client gives up: resetting them would hand a monitor
//            that is still waiting an instant error and an instant re-check)
// Messages in: { id, address, port, mode, jitterMaxMs? }; out: { id, atMs } where atMs is the wall
// time (sub-ms, performance.timeOrigin + now) at which the new mode took effect.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

export type EndpointMode = 'ok' | 'refuse' | 'status' | 'grey';

export interface EndpointCommand {
  id: number;
  address: string;
  port: number;
  mode: EndpointMode;
  jitterMaxMs?: number;
}

interface Endpoint {
  server: Server | null;
  sockets: Set<Socket>;
  mode: EndpointMode;
  jitterMaxMs: number;
  requests: number;
}

const endpoints = new Map<string, Endpoint>();
const wallNow = () => performance.timeOrigin + performance.now();

function handler(ep: Endpoint) {
  return createServer((req, res) => {
    ep.requests++;
    if (ep.mode === 'grey') return; // never answer
    const send = () => {
      const ok = ep.mode === 'ok' && req.url === '/healthz';
      res.writeHead(ok ? 200 : ep.mode === 'status' ? 500 : 404, { 'content-type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'no\n');
    };
    if (ep.jitterMaxMs > 0) setTimeout(send, Math.random() * ep.jitterMaxMs);
    else send();
  });
}

async function open(ep: Endpoint, address: string, port: number): Promise<void> {
  if (ep.server) return;
  const server = handler(ep);
  server.keepAliveTimeout = 1000;
  server.on('connection', (s: Socket) => {
    ep.sockets.add(s);
    s.on('close', () => ep.sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => resolve());
  });
  ep.server = server;
}

function close(ep: Endpoint): void {
  ep.server?.close();
  ep.server = null;
  for (const s of ep.sockets) s.destroy();
}

async function apply(cmd: EndpointCommand): Promise<number> {
  if (!cmd.address.startsWith('127.')) throw new Error('loopback only');
  const key = `${cmd.address}:${cmd.port}`;
  let ep = endpoints.get(key);
  if (!ep) {
    ep = { server: null, sockets: new Set(), mode: 'ok', jitterMaxMs: 0, requests: 0 };
    endpoints.set(key, ep);
  }
  ep.jitterMaxMs = cmd.jitterMaxMs ?? 0;
  if (cmd.mode === 'refuse') {
    ep.mode = 'refuse';
    close(ep);
    return wallNow();
  }
  await open(ep, cmd.address, cmd.port);
  ep.mode = cmd.mode;
  return wallNow();
}

process.on('message', (msg: EndpointCommand) => {
  apply(msg).then(
    (atMs) => process.send?.({ id: msg.id, atMs }),
    (err: Error) => process.send?.({ id: msg.id, error: err.message }),
  );
});
process.on('disconnect', () => process.exit(0));
