// What a command may touch of the process: output streams, exit code and abort signal.

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  setExitCode(code: number): void;
}

/** The real process streams. */
export function processIo(state: { exitCode: number }): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    setExitCode: (code) => {
      state.exitCode = code;
    },
  };
}
