// Drives the health-endpoints child process: set a mode, get back the instant it took effect.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EndpointCommand, EndpointMode } from './health-endpoints.js';

export class EndpointControl {
  #child: ChildProcess | null = null;
  #seq = 0;
  readonly #waiting = new Map<number, (r: { atMs?: number; error?: string }) => void>();

  start(): void {
    const script = fileURLToPath(new URL('./health-endpoints.ts', import.meta.url));
    this.#child = fork(script, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (m: { id: number; atMs?: number; error?: string }) => {
      this.#waiting.get(m.id)?.(m);
      this.#waiting.delete(m.id);
    });
  }

  /** Sets an endpoint's mode; resolves to the wall time (ms) at which it took effect. */
  set(address: string, port: number, mode: EndpointMode, jitterMaxMs = 0): Promise<number> {
    const child = this.#child;
    if (!child) throw new Error('EndpointControl not started');
    const id = ++this.#seq;
    return new Promise<number>((resolve, reject) => {
      this.#waiting.set(id, (r) => (r.atMs !== undefined ? resolve(r.atMs) : reject(new Error(r.error))));
      child.send({ id, address, port, mode, jitterMaxMs } satisfies EndpointCommand);
    });
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}
