// What every region program does once its app is composed: listen (a clear error when the
// address is taken), report the URL it listens on, adopt a new world, and stop by draining and
// then closing everything it opened in reverse order.
import type { FastifyInstance } from 'fastify';
import { MeridianError } from '../../core/index.js';
import type { HealthRegistry, ShutdownStack } from '../../health/index.js';
import { type World, type WorldAdoption, worldAdoption } from '../../world/index.js';

export interface ListenRegionOptions {
  readonly app: FastifyInstance;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** What the program opened so far; the HTTP server is pushed last. */
  readonly closers: ShutdownStack;
  readonly health: HealthRegistry;
  readonly buildVersion: string;
  /** The world the program serves, and how to replace it when a new one is adopted. */
  readonly world: () => World;
  readonly setWorld: (next: World) => void;
}

export interface ListeningRegion {
  readonly url: string;
  adoptWorld(next: World): WorldAdoption;
  stop(): Promise<void>;
}

/** Listens (closing what was opened and throwing MERIDIAN_REGION_LISTEN_FAILED on failure). */
export async function listenRegion(o: ListenRegionOptions): Promise<ListeningRegion> {
  try {
    await o.app.listen({ host: o.host, port: o.port });
  } catch (err) {
    await o.closers.close();
    throw new MeridianError(
      'MERIDIAN_REGION_LISTEN_FAILED',
      `region ${o.name} cannot listen on ${o.host}:${o.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  o.closers.push('http server', () => o.app.close());
  const address = o.app.server.address();
  const url =
    typeof address === 'object' && address
      ? `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`
      : `http://${o.host}:${o.port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    adoptWorld(next) {
      const adoption = worldAdoption(o.world(), next, o.name, {
        kind: 'region',
        defaultBuild: o.buildVersion,
      });
      if (adoption.adopted) o.setWorld(next);
      return adoption;
    },
    stop() {
      stopping ??= (async () => {
        o.health.drain();
        await o.closers.closeOrThrow(`region ${o.name}`);
      })();
      return stopping;
    },
  };
}
