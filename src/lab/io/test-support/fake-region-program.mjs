// A fake region program for lab tests: the links API (sessions, links, redirects) with the
// `x-meridian-region` header, on MERIDIAN_LISTEN_HOST:MERIDIAN_LISTEN_PORT. Reports
// `{ type: 'ready' }` over IPC and exits when its parent goes away.
import { createServer } from 'node:http';

const region = process.env.MERIDIAN_REGION ?? 'unknown';
let next = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('x-meridian-region', region);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
    if (req.method === 'POST' && req.url === '/v1/sessions')
      return send(201, { sessionId: `s.${region}.${next++}`, region });
    if (req.method === 'POST' && req.url === '/v1/links') {
      const token = Buffer.from(String(body.destination)).toString('base64url');
      return send(201, { link: `http://links.example.test/l/${token}`, region });
    }
    if (req.method === 'GET' && req.url?.startsWith('/l/')) {
      return send(302, undefined, { location: Buffer.from(req.url.slice(3), 'base64url').toString() });
    }
    if (req.url === '/healthz') return send(200, { ok: true });
    send(404, { error: 'not found' });
  });
});
server.listen(Number(process.env.MERIDIAN_LISTEN_PORT), process.env.MERIDIAN_LISTEN_HOST, () => {
  process.send?.({ type: 'ready', home: process.env.MERIDIAN_HOME_URL ?? null });
});
process.on('disconnect', () => process.exit(0));
