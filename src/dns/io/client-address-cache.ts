// Source addresses as bytes, parsed once per distinct address (bounded).
import { parseAddress } from '../../core/index.js';
import type { ClientAddress } from '../answer.js';

const LIMIT = 4096;

/** Maps `rinfo.address` strings to ClientAddress; forgets everything past LIMIT entries. */
export class ClientAddressCache {
  readonly #map = new Map<string, ClientAddress>();
  readonly #v4 = new Map<number, ClientAddress>();
  readonly #v6 = new Map<string, ClientAddress>();
  #lastText = '';
  #last: ClientAddress = { family: 4, bytes: new Uint8Array(4) };
  #lastV4Key = 0;
  #lastV4: ClientAddress | null = null;

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

  /**
   * The address in `bytes` at `offset` (4 or 16 bytes), as the batch transport reports it.
   * `word`, for IPv4, is the same 4 bytes read as one int32 (any byte order: the cache key): a
   * repeated client costs one comparison, another known one a Map lookup by small integer.
   */
  fromBytes(family: 4 | 6, bytes: Uint8Array, offset: number, word: number): ClientAddress {
    if (family === 4) {
      if (word === this.#lastV4Key && this.#lastV4 !== null) return this.#lastV4;
      let hit = this.#v4.get(word);
      if (hit === undefined) {
        hit = { family: 4, bytes: bytes.slice(offset, offset + 4) };
        if (this.#v4.size >= LIMIT) this.#v4.clear();
        this.#v4.set(word, hit);
      }
      this.#lastV4Key = word;
      this.#lastV4 = hit;
      return hit;
    }
    const key = Buffer.from(bytes.buffer, bytes.byteOffset + offset, 16).toString('latin1');
    const hit = this.#v6.get(key);
    if (hit) return hit;
    const value: ClientAddress = { family: 6, bytes: bytes.slice(offset, offset + 16) };
    if (this.#v6.size >= LIMIT) this.#v6.clear();
    this.#v6.set(key, value);
    return value;
  }
}
