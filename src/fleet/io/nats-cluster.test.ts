// The 3-node cluster harness itself, against the real nats-server.
import { existsSync } from 'node:fs';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../../core/index.js';
import { useNatsCluster } from '../test-support/nats-cluster.js';
import { findNatsServer, startNatsCluster } from './nats-cluster.js';
import { replicasFor } from './replicas-for.js';

const cluster = useNatsCluster();

describe('startNatsCluster', () => {
  it('runs three servers on loopback ports below 32768 that agree on a JetStream meta leader', async () => {
    const c = cluster();
    expect(c.nodes).toHaveLength(3);
    for (const n of c.nodes) {
      expect(n.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
      for (const p of [n.clientPort, n.clusterPort, n.monitorPort]) expect(p).toBeLessThan(32_768);
      expect(n.pid).toBeGreaterThan(0);
    }
    const leaders = await Promise.all([0, 1, 2].map((i) => c.metaLeader(i)));
    expect(new Set(leaders).size).toBe(1);
    expect(['n1', 'n2', 'n3']).toContain(leaders[0]);
  });

  it('holds a 3-replica stream that keeps taking writes with one node killed', async () => {
    const c = cluster();
    const nc = await connect({ servers: [...c.urls], maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    try {
      expect(replicasFor(nc)).toBe(3);
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'harness-test', subjects: ['harness.>'], num_replicas: 3 });
      const js = jetstream(nc);
      await js.publish('harness.a', 'one');
      await c.kill(1);
      expect(c.nodes[1]!.pid).toBeNull();
      const deadline = Date.now() + 20_000;
      let ack: { seq: number } | null = null;
      while (!ack) {
        ack = await js.publish('harness.a', 'two', { timeout: 1000 }).catch(() => null);
        if (!ack && Date.now() > deadline) throw new Error('no write accepted with one node down');
      }
      expect(ack.seq).toBe(2);
      await c.restart(1);
      expect(await c.metaLeader(1)).toBeTruthy();
      await jsm.streams.delete('harness-test');
    } finally {
      await nc.close();
    }
  });

  it('stops every server and removes its temp dir', async () => {
    const one = await startNatsCluster({ nodes: 1 });
    const pid = one.nodes[0]!.pid!;
    expect(existsSync(one.dir)).toBe(true);
    await one.stop();
    expect(existsSync(one.dir)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow();
    await one.stop(); // idempotent
  });
});

describe('findNatsServer', () => {
  it('finds it on this machine', () => {
    expect(findNatsServer()).toMatch(/nats-server$/);
  });

  it('says how to install it when it is nowhere', () => {
    let err: unknown;
    try {
      findNatsServer('/nonexistent/bin', []);
    } catch (e) {
      err = e;
    }
    expect(isMeridianError(err, 'MERIDIAN_FLEET_NATS_SERVER_MISSING')).toBe(true);
    expect((err as Error).message).toContain('apt-get install -y nats-server');
  });
});
