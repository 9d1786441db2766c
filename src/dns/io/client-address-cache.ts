// Source addresses as bytes, parsed once per distinct address (bounded).
import { parseAddress } from '../../core/index.js';
import type { ClientAddress } from '../answer.js';

const LIMIT = 4096;

/** Maps `rinfo.address` strings to ClientAddress; forgets everything past LIMIT entries. */
export class ClientAddressCache {
  readonly #map = new Map<string, ClientAddress>();
  #lastText = '';
  #last: ClientAddress = { family: 4, bytes: new Uint8Array(4) };

  get(address: string): ClientAddress {
    if (address === this.#lastText) return this.#last;
    const hit = this.#map.get(address);
    if (hit) {
      this.#lastText = address;
      this.#last = hit;
      return hit;
    }
    const a = parseAddress(
      address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address,
    );
    const value: ClientAddress = a.ok ? a.value : { family: 4, bytes: new Uint8Array(4) };
    if (this.#map.size >= LIMIT) this.#map.clear();
    this.#map.set(address, value);
    this.#lastText = address;
    this.#last = value;
    return value;
  }
}
