// Home's side: sign each new version, write it to escrow (object, then pointer), keep it for HTTP.
import { createHash, type KeyObject } from 'node:crypto';
import { type Clock, MeridianError, systemClock } from '../core/index.js';
import { type DataSchema, type DataValidator, toDataValidator } from './data-validator.js';
import { encodePointer, parsePointer, pointerKey, snapshotKey } from './escrow-layout.js';
import type { EscrowStore } from './escrow-store.js';
import { signSnapshot } from './sign-snapshot.js';
import { type KeyInput, toPrivateKey } from './signing-keys.js';
import type { ConfigSnapshot } from './snapshot.js';

export interface ConfigPublisherOptions<T> {
  readonly name: string;
  /** Home's Ed25519 private key (PEM or KeyObject). */
  readonly privateKey: KeyInput;
  /** Escrow store; its pointer is also where the last issued version is persisted. */
  readonly escrow: EscrowStore;
  /** When given, `publish` refuses data the regions would refuse. */
  readonly schema?: DataSchema<T>;
  readonly clock?: Clock;
}

/** The latest signed envelope, as served over HTTP. */
export interface PublishedEnvelope {
  readonly version: number;
  readonly bytes: Buffer;
  /** A strong ETag (quoted) derived from the version and the bytes. */
  readonly etag: string;
}

export interface PublishOptions {
  /** Use this version instead of last + 1; it must be higher than the last one issued. */
  readonly version?: number;
  /** Wall time (ms) after which regions refuse this snapshot. */
  readonly expiresAt?: number;
}

/**
 * Publishes snapshots of one config. There must be one publisher per config name at a time
 * (home's single writer): the version counter is read from the escrow pointer in `start()` and
 * advanced by `publish`, so a restarted publisher never reissues a version.
 */
export class ConfigPublisher<T> {
  readonly name: string;
  readonly #privateKey: KeyObject;
  readonly #escrow: EscrowStore;
  readonly #validate: DataValidator<T> | undefined;
  readonly #clock: Clock;
  #lastVersion = 0;
  #latest: PublishedEnvelope | undefined;
  #started = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ConfigPublisherOptions<T>) {
    this.name = options.name;
    this.#privateKey = toPrivateKey(options.privateKey);
    this.#escrow = options.escrow;
    this.#validate = options.schema ? toDataValidator(options.schema) : undefined;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Reads the escrow pointer to learn the last issued version and the envelope to serve.
   * Throws MERIDIAN_CONFIG_ESCROW_UNREADABLE when escrow cannot be read (it will not guess a version).
   */
  async start(): Promise<void> {
    let pointerBytes: Uint8Array | undefined;
    try {
      const ptr = await this.#escrow.get(pointerKey(this.name));
      if (ptr.kind === 'found') pointerBytes = ptr.body;
    } catch (cause) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_ESCROW_UNREADABLE',
        `config "${this.name}": cannot read the escrow pointer ${pointerKey(this.name)} to learn the last version`,
        { cause },
      );
    }
    if (pointerBytes) {
      const pointer = parsePointer(pointerBytes, this.name);
      if (!pointer) {
        throw new MeridianError(
          'MERIDIAN_CONFIG_ESCROW_UNREADABLE',
          `config "${this.name}": escrow pointer ${pointerKey(this.name)} is corrupt; fix or remove it`,
        );
      }
      this.#lastVersion = pointer.version;
      const obj = await this.#escrow.get(pointer.key).catch(() => undefined);
      if (obj?.kind === 'found') this.#latest = envelopeOf(pointer.version, Buffer.from(obj.body));
    }
    this.#started = true;
  }

  /** The last version issued (0 if none). */
  lastVersion(): number {
    return this.#lastVersion;
  }

  /** What the HTTP route serves: the newest envelope already in escrow. */
  latest(): PublishedEnvelope | undefined {
    return this.#latest;
  }

  /**
   * Signs `data` as the next version, writes the snapshot object, then the pointer, then
   * serves it. Calls are serialised. Throws MERIDIAN_CONFIG_INVALID_DATA, MERIDIAN_CONFIG_BAD_VERSION,
   * MERIDIAN_CONFIG_PUBLISH_FAILED (escrow write failed; nothing new is served) or MERIDIAN_CONFIG_NOT_STARTED.
   */
  publish(data: T, options: PublishOptions = {}): Promise<ConfigSnapshot<T>> {
    const run = this.#queue.then(() => this.#publish(data, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #publish(data: T, options: PublishOptions): Promise<ConfigSnapshot<T>> {
    if (!this.#started) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_NOT_STARTED',
        `config publisher "${this.name}": call start() first`,
      );
    }
    if (this.#validate) {
      const checked = this.#validate(data);
      if (!checked.ok) {
        throw new MeridianError('MERIDIAN_CONFIG_INVALID_DATA', `config "${this.name}": ${checked.reason}`);
      }
    }
    const version = options.version ?? this.#lastVersion + 1;
    if (!Number.isSafeInteger(version) || version <= this.#lastVersion) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_BAD_VERSION',
        `config "${this.name}": version ${version} is not above the last issued ${this.#lastVersion}`,
      );
    }
    const snapshot: ConfigSnapshot<T> = {
      name: this.name,
      version,
      createdAt: this.#clock.now(),
      ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
      data,
    };
    const bytes = signSnapshot(snapshot, this.#privateKey);
    const key = snapshotKey(this.name, version);
    try {
      await this.#escrow.put(key, bytes);
      await this.#escrow.put(pointerKey(this.name), encodePointer({ name: this.name, version, key }));
    } catch (cause) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_PUBLISH_FAILED',
        `config "${this.name}": writing version ${version} to ${this.#escrow.kind} escrow failed`,
        { cause },
      );
    }
    this.#lastVersion = version;
    this.#latest = envelopeOf(version, bytes);
    return snapshot;
  }
}

function envelopeOf(version: number, bytes: Buffer): PublishedEnvelope {
  const digest = createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
  return { version, bytes, etag: `"${version}-${digest}"` };
}
