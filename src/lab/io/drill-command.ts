// `meridian drill KIND [REGION] [--for 60s] …`: posts a drill to the world `meridian up` runs
// in this directory (found through its state file).
import type { Command } from 'commander';
import { MeridianError } from '../../core/index.js';
import { parseDrillCommand } from '../parse-drill-command.js';
import { postDrill, readLabState } from './lab-control-client.js';
import { DEFAULT_LAB_STATE_FILE } from './lab-control-server.js';

/** What the command may touch of the process (the CLI's CliIo has this shape). */
export interface DrillCommandIo {
  out(line: string): void;
  err(line: string): void;
  setExitCode(code: number): void;
}

/** Registers `drill` on the `meridian` program. */
export function registerDrill(program: Command, io: DrillCommandIo): void {
  program
    .command('drill')
    .description('run a drill against the world `meridian up` is running here, while users keep going')
    .argument(
      '<drill...>',
      'region-down REGION [--for 60s] | region-pause REGION [--for 60s] | home-down [--for 60s] | config-source-down [--corrupt] [--for 60s] | rollout REGION --steps 0.1,1,5,25,100 --every 20s | drain REGION [--for 60s] | latency NETWORK REGION --add 150ms [--for 5m] | slow REGION --add 300ms [--for 60s]',
    )
    .option('--state-file <path>', 'where `meridian up` recorded its control address', DEFAULT_LAB_STATE_FILE)
    .allowUnknownOption()
    .addHelpText('after', '\nEach drill writes a report (JSON and HTML) to ./meridian-reports/ when it ends.')
    .action(async (_drill: string[], opts: { stateFile: string }, cmd: Command) => {
      const argv = cmd.args.filter((a, i, all) => !(a === '--state-file' || all[i - 1] === '--state-file'));
      parseDrillCommand(argv); // a malformed drill fails here, before looking for a world
      const state = readLabState(opts.stateFile);
      const reply = await postDrill(state.controlUrl, argv);
      if (!reply.ok) throw new MeridianError(reply.code, reply.message);
      const timeline = (reply.body.timeline as { atMs: number; event: { kind: string } }[] | undefined) ?? [];
      io.out(`${argv.join(' ')}: started (${reply.body.id})`);
      for (const e of timeline) io.out(`  +${(e.atMs / 1000).toFixed(1)}s ${e.event.kind}`);
      io.err('the report is written to meridian-reports/ when the drill ends');
      io.setExitCode(0);
    });
}
