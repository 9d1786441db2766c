// The worker thread of `lintWorldFileInWorker`: reads, lints and resolves one world file off the
// main thread, then hands the result over in chunks, one each time the main thread asks, so that
// no single message takes the main thread long to receive.
import { parentPort, workerData } from 'node:worker_threads';
import { isMeridianError } from '../../core/index.js';
import type { Network } from '../world.js';
import { lintWorldFile } from './load-world.js';
import type { FromLoader, LoaderRequest } from './world-loader-messages.js';

const port = parentPort;
if (!port) throw new Error('world-loader-worker.ts runs only as a worker thread');
const request = workerData as LoaderRequest;
const send = (message: FromLoader, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const { diagnostics, world } = lintWorldFile(request.path, { maxBytes: request.maxBytes });
  const networks = world?.networks ?? [];
  send({
    type: 'head',
    world: world ? { ...world, networks: [] } : null,
    diagnostics: diagnostics.length,
    networks: networks.length,
  });
  let sentDiagnostics = 0;
  let sentNetworks = 0;
  port.on('message', () => {
    const size = request.chunkSize;
    if (sentDiagnostics < diagnostics.length) {
      send({ type: 'diagnostics', items: diagnostics.slice(sentDiagnostics, sentDiagnostics + size) });
      sentDiagnostics += size;
    } else if (sentNetworks < networks.length) {
      const { items, buffer } = packNetworks(networks.slice(sentNetworks, sentNetworks + size));
      send({ type: 'networks', items }, [buffer]);
      sentNetworks += size;
    }
  });
} catch (err) {
  send({
    type: 'error',
    code: isMeridianError(err) ? err.code : 'MERIDIAN_WORLD_LOADER_FAILED',
    message: (err as Error).message,
  });
}

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
