// What a command may touch of the process: output streams, exit code and abort signal.

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  setExitCode(code: number): void;
}

/**
 * The real process streams. A reader that goes away (`meridian … | head`) ends the process
 * quietly, as Unix tools do, instead of crashing on EPIPE.
 */
export function processIo(state: { exitCode: number }): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(state.exitCode);
    });
  }
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    setExitCode: (code) => {
      state.exitCode = code;
    },
  };
}
