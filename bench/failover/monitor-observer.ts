// Watches Meridian's HealthMonitor in process: the region is included when the published
// table says it is serving. This is the monitor's own figure, without any DNS server.

import { HealthMonitor } from '../../src/monitor/index.js';
import { HealthCheckProbe } from '../../src/monitor/io/index.js';
import type { World } from '../../src/world/index.js';
import { ObservationLog, type Observer, wallNow } from './observer.js';

export class MonitorObserver implements Observer {
  readonly label: string;
  readonly #log = new ObservationLog();
  readonly monitor: HealthMonitor;

  constructor(
    label: string,
    world: World,
    readonly region: string,
  ) {
    this.label = label;
    this.monitor = new HealthMonitor({ world, probe: new HealthCheckProbe() });
    this.monitor.onChange((t) => this.#observe(t.regions.find((r) => r.name === region)?.serving ?? false));
  }

  #observe(serving: boolean): void {
    this.#log.observe(serving, wallNow());
  }

  async start(): Promise<void> {
    this.#observe(this.monitor.table().regions.find((r) => r.name === this.region)?.serving ?? false);
    this.monitor.start();
  }

  included(): boolean | null {
    return this.#log.included();
  }

  lastFlipAtMs(): number {
    return this.#log.lastFlipAtMs();
  }

  waitFor(want: boolean, timeoutMs: number): Promise<number | null> {
    return this.#log.waitFor(want, timeoutMs);
  }

  stop(): Promise<void> {
    return this.monitor.stop();
  }
}
