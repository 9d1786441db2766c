// What each drill event does to the running world: signals to processes (through the
// supervisor) and operator calls to the GSLB and home (through a control plane).
import type { DrillActions } from './drill-scheduler.js';

/** The part of the process supervisor drills need. */
export interface DrillProcesses {
  kill(name: string, signal: NodeJS.Signals): void;
  /** Starts an exited process again with its original spec. */
  restart(name: string): Promise<unknown>;
  waitForExit(name: string): Promise<void>;
}

/** Operator calls the drills make on the other programs (their admin endpoints). */
export interface DrillControlPlane {
  /** GSLB: stop (or resume) giving new answers that name `region`. */
  setDrained(region: string, drained: boolean): Promise<void>;
  /** GSLB: the share of clients whose answers may include `region`, in percent. */
  setRollout(region: string, percent: number): Promise<void>;
  /** Home: make the config endpoint and the escrow unavailable, corrupt, or healthy again. */
  setConfigSource(mode: 'ok' | 'unavailable' | 'corrupt'): Promise<void>;
}

/** The lab's latency links, for drills that change a true round trip. */
export interface DrillPaths {
  /** Users' paths from `network` (every network when null) to `region` get `addMs` slower (0: as planned). */
  addRtt(network: string | null, region: string, addMs: number): void;
}

export interface DrillActionsOptions {
  readonly processes: DrillProcesses;
  readonly control: DrillControlPlane;
  /** Needed by `latency` and `slow`; without it those drills fail with a clear error. */
  readonly paths?: DrillPaths;
  /** The process running a region (default `region-<name>`). */
  readonly processOf?: (region: string) => string;
  /** The processes `home-down` kills (default `['home']`). */
  readonly homeProcesses?: readonly string[];
}

/** Binds every drill event to the world: SIGKILL for down, SIGSTOP/SIGCONT for pause. */
export function drillActions(options: DrillActionsOptions): DrillActions {
  const { processes, control } = options;
  const proc = options.processOf ?? ((r: string) => `region-${r}`);
  const home = options.homeProcesses ?? ['home'];
  const paths = (): DrillPaths => {
    if (!options.paths) throw new Error('this world has no latency links to change');
    return options.paths;
  };
  const killAndWait = async (name: string) => {
    processes.kill(name, 'SIGKILL');
    await processes.waitForExit(name);
  };
  return {
    'region-down': (e) => killAndWait(proc(e.region)),
    'region-up': async (e) => {
      await processes.restart(proc(e.region));
    },
    'region-pause': (e) => processes.kill(proc(e.region), 'SIGSTOP'),
    'region-resume': (e) => processes.kill(proc(e.region), 'SIGCONT'),
    'home-down': async () => {
      for (const name of home) processes.kill(name, 'SIGKILL'); // all at the same instant
      await Promise.all(home.map((name) => processes.waitForExit(name)));
    },
    'home-up': async () => {
      for (const name of home) await processes.restart(name);
    },
    'config-source-down': (e) => control.setConfigSource(e.mode),
    'config-source-up': () => control.setConfigSource('ok'),
    rollout: (e) => control.setRollout(e.region, e.percent),
    drain: (e) => control.setDrained(e.region, true),
    undrain: (e) => control.setDrained(e.region, false),
    'latency-add': async (e) => paths().addRtt(e.network, e.region, e.addMs),
    'latency-clear': async (e) => paths().addRtt(e.network, e.region, 0),
  };
}
