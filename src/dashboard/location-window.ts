// The users' requests per location over the last seconds: served by which region, and the
// median response time (one round trip plus service, without DNS and connection set-up) to
// set beside the round trip itself. Bounded: a fixed number of seconds and samples per second.
import type { LocationSample } from './dashboard-feed.js';

/** What the window needs of one request (the lab's RequestRecord has it). */
export interface RequestSample {
  readonly location: string;
  /** Wall time it finished. */
  readonly atMs: number;
  readonly region: string | null;
  readonly ok: boolean;
  readonly responseMs: number;
}

export interface LocationWindowOptions {
  /** Seconds kept and summed (default 5). */
  readonly seconds?: number;
  /** Response times kept per location and second for the median (default 200). */
  readonly maxSamplesPerSecond?: number;
}

interface Second {
  readonly second: number;
  requests: number;
  readonly regions: Map<string, number>;
  readonly times: number[];
}

export class LocationWindow {
  readonly #seconds: number;
  readonly #maxSamples: number;
  readonly #byLocation = new Map<string, Second[]>();

  constructor(options: LocationWindowOptions = {}) {
    this.#seconds = options.seconds ?? 5;
    this.#maxSamples = options.maxSamplesPerSecond ?? 200;
  }

  record(r: RequestSample): void {
    const second = Math.floor(r.atMs / 1000);
    let list = this.#byLocation.get(r.location);
    if (!list) {
      list = [];
      this.#byLocation.set(r.location, list);
    }
    let s = list.find((x) => x.second === second);
    if (!s) {
      s = { second, requests: 0, regions: new Map(), times: [] };
      list.push(s);
      list.sort((a, b) => a.second - b.second);
      while (list.length > this.#seconds + 1) list.shift();
    }
    s.requests += 1;
    if (r.region) s.regions.set(r.region, (s.regions.get(r.region) ?? 0) + 1);
    if (r.ok && s.times.length < this.#maxSamples) s.times.push(r.responseMs);
  }

  /**
   * Per location, the whole seconds before `nowMs` (the current one is still filling), with
   * each location's round trip to its main region and to its nearest (`roundTripMs`).
   */
  samples(
    nowMs: number,
    roundTripMs: (location: string, region: string) => number | undefined,
    candidates: readonly string[],
  ): LocationSample[] {
    const end = Math.floor(nowMs / 1000) - 1;
    const start = end - this.#seconds + 1;
    return [...this.#byLocation.keys()].sort().map((name) => {
      const kept = this.#byLocation.get(name)!.filter((s) => s.second >= start && s.second <= end);
      const byRegion: Record<string, number> = {};
      const times: number[] = [];
      let requests = 0;
      for (const s of kept) {
        requests += s.requests;
        for (const [r, n] of s.regions) byRegion[r] = (byRegion[r] ?? 0) + n;
        times.push(...s.times);
      }
      times.sort((a, b) => a - b);
      const main = Object.entries(byRegion).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
      const best = candidates
        .map((c) => roundTripMs(name, c))
        .filter((x): x is number => x !== undefined)
        .sort((a, b) => a - b)[0];
      return {
        name,
        rps: requests / this.#seconds,
        byRegion,
        p50Ms: times.length > 0 ? times[Math.floor((times.length - 1) / 2)]! : null,
        boundMs: main ? (roundTripMs(name, main) ?? null) : null,
        bestBoundMs: best ?? null,
      };
    });
  }
}
