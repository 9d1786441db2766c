// Which SOA serial a world is served with: the file's `dns.serial` when it sets one (the operator
// owns it), else the next serial after the last one served for the candidate the inputs give
// (standalone: the world file's modification time; fleet: the shared bucket's epoch + revision).
import { nextSerial } from '../operator-state/index.js';
import type { World } from '../world/index.js';

export type SerialSource = 'world file dns.serial' | 'world file modification time' | 'fleet revision';

export class SoaSerials {
  #last: number | null = null;
  #source: SerialSource = 'world file modification time';

  /** The serial last stamped, or null before the first. */
  get last(): number | null {
    return this.#last;
  }

  get source(): SerialSource {
    return this.#source;
  }

  /**
   * `world` with `dns.serial` set: the file's own when it has one, else `nextSerial(last,
   * candidate)`: never smaller than a serial served before (RFC 1982), and equal to `candidate`
   * whenever the candidate moved forward, so instances on the same inputs agree.
   */
  stamp(world: World, candidate: number, source: Exclude<SerialSource, 'world file dns.serial'>): World {
    if (world.dns.serial !== undefined) {
      this.#last = world.dns.serial;
      this.#source = 'world file dns.serial';
      return world;
    }
    const serial = nextSerial(this.#last, candidate);
    this.#last = serial;
    this.#source = source;
    return { ...world, dns: { ...world.dns, serial } };
  }
}
