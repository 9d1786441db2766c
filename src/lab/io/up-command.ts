// `meridian up [FILE]`: the whole world on one machine (GSLB, home, one process per region,
// latency links, simulated users), a live view each second, Ctrl-C stops everything.
import type { Command } from 'commander';
import { MeridianError } from '../../core/index.js';
import type { WorldDiff } from '../world-diff.js';
import type { DrillCommandIo } from './drill-command.js';
import { startMeridianUp } from './meridian-up.js';
import type { WorldReloadOutcome } from './world-file-reloader.js';

interface UpFlags {
  singleRegion?: boolean;
  dnsPort: string;
  adminPort: string;
  homePort: string;
  gatePort: string;
  stateDir: string;
  reportDir?: string;
  live: boolean;
  watch: boolean;
}

function port(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new MeridianError('MERIDIAN_USAGE', `${flag} ${text} is not a port number (0 picks a free one)`);
  }
  return n;
}

function describeReload(r: WorldReloadOutcome): string {
  switch (r.kind) {
    case 'applied': {
      const d = r.result as WorldDiff;
      const parts = [
        d.added.length ? `started ${d.added.join(', ')}` : '',
        d.removed.length ? `stopped ${d.removed.join(', ')}` : '',
        d.replaced.length ? `replaced ${d.replaced.join(', ')}` : '',
      ].filter(Boolean);
      return `world reloaded (${r.why}): ${parts.join('; ') || 'no region changed'}; GSLB reloaded`;
    }
    case 'unchanged':
      return `world reload (${r.why}): file unchanged`;
    case 'invalid':
      return `world reload (${r.why}) ignored, the running world stays:\n  ${r.diagnostics.join('\n  ')}`;
    case 'failed':
      return `world reload (${r.why}) failed, the running world stays: ${r.error}`;
  }
}

/** Registers `up` on the `meridian` program. */
export function registerUp(program: Command, io: DrillCommandIo): void {
  program
    .command('up')
    .description('run the whole world on this machine: GSLB, home, every region, latency links and users')
    .argument('[file]', 'world file', 'examples/world.yaml')
    .option('--single-region', 'the "before" picture: the same users against home only, serving the baseline')
    .option('--dns-port <port>', 'GSLB DNS port on 127.0.0.1', '8053')
    .option('--admin-port <port>', 'GSLB admin API port on 127.0.0.1', '8054')
    .option('--home-port <port>', "home's port on the home region's address", '7000')
    .option('--gate-port <port>', "the lab's config-source gate in front of home", '7001')
    .option(
      '--state-dir <dir>',
      'scratch directory for databases, keys and logs (emptied at start)',
      '.meridian/up',
    )
    .option('--report-dir <dir>', 'where drill reports go', 'meridian-reports')
    .option('--no-live', 'do not draw the live view')
    .option('--no-watch', 'do not reload when the world file changes (SIGHUP still does)')
    .addHelpText(
      'after',
      '\nWhile it runs, from another terminal in this directory: meridian drill region-down eu-west-2 --for 60s\nCtrl-C stops every process it started.',
    )
    .action(async (file: string, flags: UpFlags) => {
      const up = await startMeridianUp({
        worldFile: file,
        singleRegion: flags.singleRegion === true,
        stateDir: flags.stateDir,
        dnsPort: port(flags.dnsPort, '--dns-port'),
        adminPort: port(flags.adminPort, '--admin-port'),
        homePort: port(flags.homePort, '--home-port'),
        gatePort: port(flags.gatePort, '--gate-port'),
        ...(flags.reportDir ? { reportDir: flags.reportDir } : {}),
        onReport: (p) => io.err(`report written: ${p.html}`),
        watch: flags.watch,
        onReload: (r) => io.err(describeReload(r)),
      });
      up.lab.stopOnSignals();
      io.out(
        `meridian up: ${up.world.zone}${flags.singleRegion ? ' (single region, baseline)' : ''} is running`,
      );
      io.out(up.summary());
      io.out('ready: Ctrl-C stops everything; `meridian drill --help` lists the drills');
      if (flags.live) {
        // The live view starts after the summary so the summary stays readable on a pipe.
        const { LiveViewDriver } = await import('./live-view-driver.js');
        // On a terminal the frame is redrawn in place under where things listen; on a pipe,
        // one plain line per second.
        const tty = process.stdout.isTTY === true;
        const live = new LiveViewDriver({
          state: () => up.lab.liveState(),
          header: up.where(),
          out: {
            isTTY: tty,
            get rows() {
              return process.stdout.rows;
            },
            write: (text: string) => process.stdout.write(text),
          },
        });
        live.start();
        process.once('exit', () => live.stop()); // the cursor comes back after Ctrl-C
      }
      await new Promise<never>(() => {}); // SIGINT/SIGTERM stop the world and exit
    });
}
