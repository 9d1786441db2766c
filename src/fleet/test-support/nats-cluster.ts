// Test support: one real 3-node NATS cluster per test file, started before and stopped after
// its tests (even when they fail), plus clean-up of the streams a test creates.
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll } from 'vitest';
import { type NatsCluster, startNatsCluster } from '../io/nats-cluster.js';

/** Registers beforeAll/afterAll for a cluster; call the result inside tests to get it. */
export function useNatsCluster(nodes = 3): () => NatsCluster {
  let cluster: NatsCluster | null = null;
  beforeAll(async () => {
    cluster = await startNatsCluster({ nodes });
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
    cluster = null;
  }, 30_000);
  return () => {
    if (!cluster) throw new Error('the NATS cluster did not start (see beforeAll)');
    return cluster;
  };
}

/**
 * Deletes the named streams through any server that answers (missing ones are fine), retrying
 * for up to 20 s while JetStream elects leaders (after a node was killed, say).
 */
export async function deleteStreams(servers: readonly string[], names: readonly string[]): Promise<void> {
  const nc = await connect({ servers: [...servers], timeout: 2000, maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc, { checkAPI: false });
    for (const name of names) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          await jsm.streams.delete(name);
          break;
        } catch (err) {
          if (/not found/i.test(String((err as Error)?.message)) || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    }
  } finally {
    await nc.close();
  }
}
