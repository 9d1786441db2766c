// Spawns a TypeScript script as a real Node process (via tsx) and reads its stdout by lines,
// so crash tests can wait for a state and then kill -9 it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildNode {
  readonly proc: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (seen or future) matching `pred`; rejects at the deadline or exit. */
  waitForLine(pred: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<number | string>;
  kill9(): Promise<number | string>;
}

/** Runs `node --import tsx <script> <json>`; `config` is passed as one JSON argument. */
export function spawnNode(script: string, config: unknown): ChildNode {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ pred: (l: string) => boolean; resolve: (l: string) => void }>();
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of waiters) {
      if (w.pred(line)) {
        waiters.delete(w);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | string>((resolve) => {
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    proc,
    lines,
    exited,
    waitForLine(pred, timeoutMs) {
      const seen = lines.find(pred);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const waiter = { pred, resolve };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching line from ${script} within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add({
          pred,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then((how) => {
          clearTimeout(timer);
          reject(new Error(`${script} exited (${how}) before a matching line; stderr: ${stderr}`));
        });
      });
    },
    kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return exited;
    },
  };
}
