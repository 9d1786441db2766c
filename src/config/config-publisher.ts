// Home's side: sign each new version, write it to escrow (object, then pointer), keep it for HTTP.
import { createHash, type KeyObject } from 'node:crypto';
import { type Clock, MeridianError, systemClock } from '../core/index.js';
import { type DataSchema, type DataValidator, toDataValidator } from './data-validator.js';
import { encodePointer, parsePointer, pointerKey, snapshotKey } from './escrow-layout.js';
import type { EscrowStore } from './escrow-store.js';
import { signSnapshot } from './sign-snapshot.js';
import { type KeyInput, toPrivateKey } from './signing-keys.js';
import type { ConfigSnapshot } from './snapshot.js';
import type { VersionCounter } from './version-counter.js';

export interface ConfigPublisherOptions<T> {
  readonly name: string;
  /** Home's Ed25519 private key (PEM or KeyObject). */
  readonly privateKey: KeyInput;
  /** Escrow store; its pointer is one record of the last issued version. */
  readonly escrow: EscrowStore;
  /**
   * A durable counter kept apart from escrow (home's database). With it, numbering continues
   * when the escrow pointer is lost or corrupt; without it, the pointer is the only record.
   */
  readonly versions?: VersionCounter;
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
 * (home's single writer). `start()` learns the last issued version from the higher of the
 * version counter and the escrow pointer; `publish` reserves the next one in the counter
 * before writing escrow, so a restarted publisher never reissues a version.
 */
export class ConfigPublisher<T> {
  readonly name: string;
  readonly #privateKey: KeyObject;
  readonly #escrow: EscrowStore;
  readonly #versions: VersionCounter | undefined;
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
    this.#versions = options.versions;
    this.#validate = options.schema ? toDataValidator(options.schema) : undefined;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Learns the last issued version (the higher of the version counter and the escrow pointer)
   * and the envelope to serve. Throws MERIDIAN_CONFIG_ESCROW_UNREADABLE when the pointer cannot
   * be read or is corrupt and there is no counter to fall back on (it will not guess a version).
   */
  async start(): Promise<void> {
    const counted = this.#versions ? await this.#readCounter() : 0;
    const where = `escrow pointer ${pointerKey(this.name)}`;
    let pointerBytes: Uint8Array | undefined;
    let unreadable: { message: string; cause?: unknown } | undefined;
    try {
      const ptr = await this.#escrow.get(pointerKey(this.name));
      if (ptr.kind === 'found') pointerBytes = ptr.body;
    } catch (cause) {
      unreadable = { message: `cannot read the ${where} to learn the last version`, cause };
    }
    const pointer = pointerBytes ? parsePointer(pointerBytes, this.name) : undefined;
    if (pointerBytes && !pointer) unreadable = { message: `${where} is corrupt` };
    if (unreadable && counted === 0) {
      const advice = this.#versions
        ? 'fix it, or remove it if no version was ever published here (the version counter has none)'
        : 'fix it (set its version to the last one issued); removing it would restart numbering at 1 and every region would refuse the new snapshots as older';
      throw new MeridianError(
        'MERIDIAN_CONFIG_ESCROW_UNREADABLE',
        `config "${this.name}": ${unreadable.message}; ${advice}`,
        unreadable.cause === undefined ? {} : { cause: unreadable.cause },
      );
    }
    // With a counter, a corrupt or missing pointer is rewritten by the next publish.
    this.#lastVersion = Math.max(counted, pointer?.version ?? 0);
    if (pointer && pointer.version === this.#lastVersion) {
      const obj = await this.#escrow.get(pointer.key).catch(() => undefined);
      if (obj?.kind === 'found') this.#latest = envelopeOf(pointer.version, Buffer.from(obj.body));
    }
    this.#started = true;
  }

  async #readCounter(): Promise<number> {
    try {
      return (await this.#versions?.last(this.name)) ?? 0;
    } catch (cause) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_ESCROW_UNREADABLE',
        `config "${this.name}": cannot read the version counter to learn the last version`,
        { cause },
      );
    }
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
    const wanted = options.version ?? this.#lastVersion + 1;
    if (!Number.isSafeInteger(wanted) || wanted <= this.#lastVersion) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_BAD_VERSION',
        `config "${this.name}": version ${wanted} is not above the last issued ${this.#lastVersion}`,
      );
    }
    const version = await this.#reserve(wanted);
    if (options.version !== undefined && version !== options.version) {
      this.#lastVersion = version;
      throw new MeridianError(
        'MERIDIAN_CONFIG_BAD_VERSION',
        `config "${this.name}": version ${options.version} was already issued (the version counter is at ${version})`,
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

  /** The version to issue: `wanted`, or higher when the counter already passed it. */
  async #reserve(wanted: number): Promise<number> {
    if (!this.#versions) return wanted;
    try {
      return await this.#versions.reserve(this.name, wanted);
    } catch (cause) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_PUBLISH_FAILED',
        `config "${this.name}": reserving version ${wanted} in the version counter failed; nothing was published`,
        { cause },
      );
    }
  }
}

function envelopeOf(version: number, bytes: Buffer): PublishedEnvelope {
  const digest = createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
  return { version, bytes, etag: `"${version}-${digest}"` };
}
