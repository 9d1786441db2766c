// The worker thread of `lintWorldFileInWorker`: reads, lints and resolves world files off the
// main thread, one at a time, and hands each result over in chunks, one each time the main
// thread asks, so that no single message takes the main thread long to receive.
import { parentPort } from 'node:worker_threads';
import { isMeridianError } from '../../core/index.js';
import type { Diagnostic } from '../diagnostic.js';
import type { Network } from '../world.js';
import { lintWorldFile } from './load-world.js';
import type { FromLoader, ToLoader } from './world-loader-messages.js';

const port = parentPort;
if (!port) throw new Error('world-loader-worker runs only as a worker thread');
const send = (message: FromLoader, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/** The result being handed over. */
let current: {
  diagnostics: readonly Diagnostic[];
  networks: readonly Network[];
  chunkSize: number;
  sentDiagnostics: number;
  sentNetworks: number;
} | null = null;

port.on('message', (m: ToLoader) => {
  if (m.type === 'load') {
    current = null;
    try {
      const { diagnostics, world } = lintWorldFile(m.path, { maxBytes: m.maxBytes });
      const networks = world?.networks ?? [];
      if (diagnostics.length > 0 || networks.length > 0)
        current = { diagnostics, networks, chunkSize: m.chunkSize, sentDiagnostics: 0, sentNetworks: 0 };
      send({
        type: 'head',
        world: world ? { ...world, networks: [] } : null,
        diagnostics: diagnostics.length,
        networks: networks.length,
      });
    } catch (err) {
      send({
        type: 'error',
        code: isMeridianError(err) ? err.code : 'MERIDIAN_WORLD_LOADER_FAILED',
        message: (err as Error).message,
      });
    }
    return;
  }
  const c = current;
  if (!c) return;
  if (c.sentDiagnostics < c.diagnostics.length) {
    send({
      type: 'diagnostics',
      items: c.diagnostics.slice(c.sentDiagnostics, c.sentDiagnostics + c.chunkSize),
    });
    c.sentDiagnostics += c.chunkSize;
  } else if (c.sentNetworks < c.networks.length) {
    const { items, buffer } = packNetworks(c.networks.slice(c.sentNetworks, c.sentNetworks + c.chunkSize));
    send({ type: 'networks', items }, [buffer]);
    c.sentNetworks += c.chunkSize;
  }
  if (c.sentDiagnostics >= c.diagnostics.length && c.sentNetworks >= c.networks.length) current = null;
});

/**
 * Copies networks with their prefix bytes in one buffer (transferred, not copied): cloning a
 * separate small buffer per network costs the receiving thread far more.
 */
function packNetworks(list: readonly Network[]): { items: Network[]; buffer: ArrayBuffer } {
  const all = new Uint8Array(list.reduce((sum, n) => sum + n.cidr.bytes.length, 0));
  let offset = 0;
  const items = list.map((n) => {
    const bytes = all.subarray(offset, offset + n.cidr.bytes.length);
    bytes.set(n.cidr.bytes);
    offset += bytes.length;
    return { ...n, cidr: { ...n.cidr, bytes } };
  });
  return { items, buffer: all.buffer };
}
