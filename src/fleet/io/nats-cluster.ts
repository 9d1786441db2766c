// A NATS cluster with JetStream on loopback: N `nats-server` processes with routes between them,
// store directories in a temp dir; waits for a JetStream meta leader; kills and cleans up.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MeridianError } from '../../core/index.js';

export interface NatsClusterOptions {
  /** Servers in the cluster (default 3). */
  readonly nodes?: number;
  /** Path of `nats-server`; default: found on PATH, else in /usr/sbin or /usr/local/sbin. */
  readonly natsServer?: string;
  /** The PATH searched (default the process's). */
  readonly path?: string;
  /** Cluster name (default `meridian`). */
  readonly name?: string;
  /** How long to wait for every server to see a JetStream meta leader (default 30 s). */
  readonly readyTimeoutMs?: number;
}

/** One server of the cluster. */
export interface NatsNode {
  readonly name: string;
  /** `nats://127.0.0.1:PORT` for clients. */
  readonly url: string;
  readonly clientPort: number;
  readonly clusterPort: number;
  readonly monitorPort: number;
  /** The process id while running, else null. */
  readonly pid: number | null;
}

export interface NatsCluster {
  /** Every server's client URL. */
  readonly urls: readonly string[];
  readonly nodes: readonly NatsNode[];
  /** The temp dir holding configs, logs and JetStream stores (removed by `stop`). */
  readonly dir: string;
  /** SIGKILLs server `i` (a node dying); resolves once it exited. */
  kill(i: number): Promise<void>;
  /**
   * Starts the given servers again with their stores (all at once: after every node was killed a
   * lone node cannot elect a leader); resolves once each sees a meta leader.
   */
  restart(...which: number[]): Promise<void>;
  /** The JetStream meta leader as server `i` sees it ('' when none), or null when it does not answer. */
  metaLeader(i: number): Promise<string | null>;
  /** Stops every server (SIGTERM, SIGKILL after 5 s) and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const INSTALL = 'apt-get install -y nats-server';

/** Where Debian puts it, off a normal user's PATH. */
const SBIN = ['/usr/sbin', '/usr/local/sbin'];

/** Where `nats-server` is, or a MERIDIAN_FLEET_NATS_SERVER_MISSING error saying how to install it. */
export function findNatsServer(path = process.env.PATH ?? '', alsoIn: readonly string[] = SBIN): string {
  const dirs = [...path.split(delimiter).filter(Boolean), ...alsoIn];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new MeridianError(
    'MERIDIAN_FLEET_NATS_SERVER_MISSING',
    `nats-server is not installed (looked in ${dirs.join(', ') || 'an empty PATH'}); install it with: ${INSTALL} (as root), or put nats-server 2.9+ on PATH`,
  );
}

/**
 * Starts the cluster and resolves once every server sees the same JetStream meta leader.
 * Ports are chosen free in [20000, 32000) (below the ephemeral range); a server that cannot
 * start (a port taken meanwhile) makes it try again with other ports, three times.
 * Every server is killed when this process exits, whatever happens to the caller.
 */
export async function startNatsCluster(opts: NatsClusterOptions = {}): Promise<NatsCluster> {
  const binary = opts.natsServer ?? findNatsServer(opts.path);
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const cluster = new LoopbackCluster(binary, opts);
    try {
      await cluster.begin();
      return cluster;
    } catch (err) {
      lastError = err;
      await cluster.stop();
    }
  }
  throw new MeridianError(
    'MERIDIAN_FLEET_NATS_CLUSTER_FAILED',
    `the NATS cluster did not start: ${String((lastError as Error)?.message ?? lastError)}`,
    {
      cause: lastError,
    },
  );
}

interface NodeState {
  name: string;
  clientPort: number;
  clusterPort: number;
  monitorPort: number;
  config: string;
  log: string;
  child: ChildProcess | null;
  exited: Promise<void> | null;
}

const live = new Set<ChildProcess>();
let exitHook = false;

class LoopbackCluster implements NatsCluster {
  readonly dir: string;
  readonly #binary: string;
  readonly #opts: NatsClusterOptions;
  #nodes: NodeState[] = [];
  #stopped = false;

  constructor(binary: string, opts: NatsClusterOptions) {
    this.#binary = binary;
    this.#opts = opts;
    this.dir = mkdtempSync(join(tmpdir(), 'meridian-nats-'));
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const child of live) child.kill('SIGKILL');
      });
    }
  }

  get urls(): string[] {
    return this.#nodes.map((n) => `nats://127.0.0.1:${n.clientPort}`);
  }

  get nodes(): NatsNode[] {
    return this.#nodes.map((n) => ({
      name: n.name,
      url: `nats://127.0.0.1:${n.clientPort}`,
      clientPort: n.clientPort,
      clusterPort: n.clusterPort,
      monitorPort: n.monitorPort,
      pid: n.child?.pid ?? null,
    }));
  }

  async begin(): Promise<void> {
    const count = Math.max(1, this.#opts.nodes ?? 3);
    const taken = new Set<number>();
    for (let i = 0; i < count; i++) {
      const name = `n${i + 1}`;
      this.#nodes.push({
        name,
        clientPort: await freePort(taken),
        clusterPort: await freePort(taken),
        monitorPort: await freePort(taken),
        config: join(this.dir, `${name}.conf`),
        log: join(this.dir, `${name}.log`),
        child: null,
        exited: null,
      });
    }
    const routes = this.#nodes.map((n) => `nats://127.0.0.1:${n.clusterPort}`).join(', ');
    for (const n of this.#nodes) {
      writeFileSync(
        n.config,
        [
          `server_name: ${n.name}`,
          `listen: 127.0.0.1:${n.clientPort}`,
          `http: 127.0.0.1:${n.monitorPort}`,
          `jetstream { store_dir: "${join(this.dir, n.name)}", max_memory_store: 256MB, max_file_store: 2GB }`,
          count > 1
            ? `cluster { name: ${this.#opts.name ?? 'meridian'}, listen: 127.0.0.1:${n.clusterPort}, routes: [${routes}] }`
            : '',
          '',
        ].join('\n'),
      );
    }
    for (let i = 0; i < this.#nodes.length; i++) this.#spawn(i);
    await this.#ready(this.#nodes.map((_, i) => i));
  }

  async kill(i: number): Promise<void> {
    const n = this.#node(i);
    const child = n.child;
    if (!child) return;
    child.kill('SIGKILL');
    await n.exited;
  }

  async restart(...which: number[]): Promise<void> {
    for (const i of which) if (this.#node(i).child) await this.kill(i);
    for (const i of which) this.#spawn(i);
    await this.#ready(which);
  }

  async metaLeader(i: number): Promise<string | null> {
    const n = this.#node(i);
    try {
      const res = await fetch(`http://127.0.0.1:${n.monitorPort}/jsz`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { meta_cluster?: { leader?: string } };
      return body.meta_cluster?.leader ?? (this.#nodes.length === 1 ? n.name : '');
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(
      this.#nodes.map(async (n) => {
        const child = n.child;
        if (!child) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await n.exited;
        clearTimeout(killer);
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  #node(i: number): NodeState {
    const n = this.#nodes[i];
    if (!n) throw new Error(`no NATS node ${i}; the cluster has ${this.#nodes.length}`);
    return n;
  }

  #spawn(i: number): void {
    const n = this.#node(i);
    const child = spawn(this.#binary, ['-c', n.config, '-l', n.log], { stdio: 'ignore' });
    live.add(child);
    n.child = child;
    n.exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        live.delete(child);
        if (n.child === child) n.child = null;
        resolve();
      });
      child.once('error', () => {
        live.delete(child);
        if (n.child === child) n.child = null;
        resolve();
      });
    });
  }

  /** Resolves once every server in `which` sees a meta leader; throws with the logs when one dies. */
  async #ready(which: number[]): Promise<void> {
    const deadline = Date.now() + (this.#opts.readyTimeoutMs ?? 30_000);
    for (;;) {
      const dead = which.filter((i) => this.#nodes[i]!.child === null);
      if (dead.length > 0) {
        throw new Error(dead.map((i) => `${this.#nodes[i]!.name} exited: ${this.#logTail(i)}`).join('; '));
      }
      const leaders = await Promise.all(which.map((i) => this.metaLeader(i)));
      if (leaders.every((l) => l)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `no JetStream meta leader after ${this.#opts.readyTimeoutMs ?? 30_000} ms: ${which.map((i) => `${this.#nodes[i]!.name}: ${this.#logTail(i)}`).join('; ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  #logTail(i: number): string {
    try {
      return readFileSync(this.#nodes[i]!.log, 'utf8').trim().split('\n').slice(-3).join(' | ');
    } catch {
      return '(no log)';
    }
  }
}

/** A port in [20000, 32000) free on 127.0.0.1 just now, not in `taken` (which it joins). */
async function freePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port on 127.0.0.1 in [20000, 32000) after 200 tries');
}
