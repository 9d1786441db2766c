// Test support: a TCP port free on `host` for a world file that must name its ports. Chosen
// below 32768, outside the kernel's ephemeral range, so a connection made elsewhere in the
// meantime cannot take it (a port-0 listener's number is ephemeral, and was, once).
import { createServer } from 'node:net';

const LOW = 20_000;
const HIGH = 32_000;

/** A port in [20000, 32000) that `host` could listen on just now. */
export async function freePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    const s = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(port, host, () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((resolve) => s.close(() => resolve()));
      return port;
    }
  }
  throw new Error(`no free port on ${host} in [${LOW}, ${HIGH}) after 200 tries`);
}
