// A stand-in for one region's links API (the real one is built elsewhere): the same routes,
// status codes and `x-meridian-region` header, state in memory. For lab tests only.
import Fastify, { type FastifyInstance } from 'fastify';

export interface FakeLinksServer {
  readonly port: number;
  readonly requests: () => number;
  close(): Promise<void>;
}

/** Starts a fake links API for `region` on `host` (127.0.0.1, port 0 unless given). */
export async function startFakeLinksServer(
  region: string,
  port = 0,
  host = '127.0.0.1',
): Promise<FakeLinksServer> {
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  let requests = 0;
  let next = 0;
  app.addHook('onRequest', async (_req, reply) => {
    requests += 1;
    reply.header('x-meridian-region', region);
  });
  app.post('/v1/sessions', async (req, reply) => {
    const body = req.body as { partnerId?: unknown; device?: unknown } | undefined;
    if (typeof body?.partnerId !== 'string') return reply.code(400).send({ error: 'partnerId' });
    return reply.code(201).send({ sessionId: `s.${region}.${next++}`, region });
  });
  app.post('/v1/links', async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    if (!/^Session s\./.test(auth)) return reply.code(401).send({ error: 'session' });
    const body = req.body as { destination?: unknown } | undefined;
    if (typeof body?.destination !== 'string') return reply.code(400).send({ error: 'destination' });
    // The token carries the destination, so any fake region can follow any link.
    const token = Buffer.from(body.destination).toString('base64url');
    return reply.code(201).send({ link: `http://links.example.test/l/${token}`, region });
  });
  app.get('/l/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const dest = Buffer.from(token, 'base64url').toString();
    if (!dest.startsWith('http')) return reply.code(404).send({ error: 'unknown link' });
    return reply.code(302).header('location', dest).send();
  });
  await app.listen({ host, port });
  const addr = app.server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    requests: () => requests,
    close: () => app.close(),
  };
}
