// Reads each region's outbox backlog (`meridian_outbox_backlog_events` on its /metrics) once a
// second, for the live view and for tests that wait until every event reached home.
import type { World } from '../../world/index.js';

/** `start()` polls; `backlog()` is the latest figure per region; `stop()` ends the polling. */
export class RegionBacklogPoller {
  readonly #world: () => World;
  readonly #everyMs: number;
  readonly #latest: Record<string, number> = {};
  #timer: NodeJS.Timeout | undefined;

  /** `world` is read on each poll: the running world, which a reload changes. */
  constructor(world: () => World, everyMs = 1000) {
    this.#world = world;
    this.#everyMs = everyMs;
  }

  backlog(): Readonly<Record<string, number>> {
    return this.#latest;
  }

  /** Reads every region now; a region that does not answer keeps no figure. */
  async poll(): Promise<Readonly<Record<string, number>>> {
    const regions = this.#world().regions;
    for (const name of Object.keys(this.#latest)) {
      if (!regions.some((r) => r.name === name)) delete this.#latest[name];
    }
    await Promise.all(
      regions.map(async (r) => {
        try {
          const res = await fetch(`http://${r.address}:${r.port}/metrics`, {
            signal: AbortSignal.timeout(800),
          });
          const m = /^meridian_outbox_backlog_events(?:\{[^}]*\})? (\S+)$/m.exec(await res.text());
          if (m) this.#latest[r.name] = Number(m[1]);
          else delete this.#latest[r.name];
        } catch {
          delete this.#latest[r.name];
        }
      }),
    );
    return this.#latest;
  }

  start(): void {
    const tick = async () => {
      await this.poll();
      if (this.#timer) this.#timer = setTimeout(tick, this.#everyMs);
    };
    this.#timer = setTimeout(tick, 0);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
