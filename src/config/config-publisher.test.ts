import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isMeridianError, ManualClock } from '../core/index.js';
import { ConfigPublisher } from './config-publisher.js';
import { parsePointer, pointerKey, snapshotKey } from './escrow-layout.js';
import type { EscrowStore, StoredObject } from './escrow-store.js';
import { directoryEscrowStore } from './io/directory-escrow-store.js';
import { startPublisherServer } from './io/publisher-routes.js';
import {
  keys,
  memoryVersionCounter,
  type Partners,
  partners,
  partnersSchema,
  tempDir,
} from './test-support/fixtures.js';
import type { VersionCounter } from './version-counter.js';

const NAME = 'partners';

describe('ConfigPublisher', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let escrow: EscrowStore;
  const make = (store: EscrowStore = escrow, versions?: VersionCounter) =>
    new ConfigPublisher<Partners>({
      name: NAME,
      privateKey: keys.privateKey,
      escrow: store,
      schema: partnersSchema,
      clock: new ManualClock(),
      ...(versions ? { versions } : {}),
    });

  beforeEach(async () => {
    dir = await tempDir();
    escrow = directoryEscrowStore(join(dir.path, 'escrow'));
  });
  afterEach(() => dir.remove());

  it('never reissues a version after a restart: the counter comes from the escrow pointer', async () => {
    const first = make();
    await first.start();
    expect((await first.publish(partners(1))).version).toBe(1);
    expect((await first.publish(partners(2))).version).toBe(2);

    const restarted = make();
    await restarted.start();
    expect(restarted.lastVersion()).toBe(2);
    expect(restarted.latest()?.version).toBe(2);
    expect((await restarted.publish(partners(3))).version).toBe(3);
  });

  it('continues above the last version after the escrow pointer is lost, from its version counter', async () => {
    const versions = memoryVersionCounter();
    const first = make(escrow, versions);
    await first.start();
    for (let i = 1; i <= 3; i++) await first.publish(partners(i));
    expect(await versions.last(NAME)).toBe(3);

    await rm(join(dir.path, 'escrow', pointerKey(NAME)));
    const restarted = make(escrow, versions);
    await restarted.start();
    expect(restarted.lastVersion()).toBe(3);
    expect((await restarted.publish(partners(4))).version).toBe(4);
    const ptr = (await escrow.get(pointerKey(NAME))) as Extract<StoredObject, { kind: 'found' }>;
    expect(parsePointer(ptr.body, NAME)?.version).toBe(4);
  });

  it('takes the higher of the counter and the pointer (a pointer written before there was a counter)', async () => {
    const old = make();
    await old.start();
    for (let i = 1; i <= 5; i++) await old.publish(partners(i));
    const versions = memoryVersionCounter();
    const upgraded = make(escrow, versions);
    await upgraded.start();
    expect(upgraded.lastVersion()).toBe(5);
    expect((await upgraded.publish(partners(6))).version).toBe(6);
    expect(await versions.last(NAME)).toBe(6);
  });

  it('reserves a version in the counter before writing escrow, so a failed write never reissues it', async () => {
    const versions = memoryVersionCounter();
    let failing = false;
    const flaky: EscrowStore = {
      kind: 'flaky',
      get: (k, o) => escrow.get(k, o),
      put: async (k, b) => {
        if (failing) throw new Error('disk full');
        await escrow.put(k, b);
      },
    };
    const p = make(flaky, versions);
    await p.start();
    await p.publish(partners(1));
    failing = true;
    await p.publish(partners(2)).catch(() => undefined);
    expect(await versions.last(NAME)).toBe(2);
    failing = false;
    const restarted = make(flaky, versions);
    await restarted.start();
    expect((await restarted.publish(partners(3))).version).toBe(3);
  });

  it('starts on a corrupt pointer when the counter knows the last version (removing it is safe)', async () => {
    const versions = memoryVersionCounter();
    const first = make(escrow, versions);
    await first.start();
    await first.publish(partners(1));
    await first.publish(partners(2));
    await escrow.put(pointerKey(NAME), Buffer.from('{"name":"partners","version":"two"}'));
    const restarted = make(escrow, versions);
    await restarted.start();
    expect(restarted.lastVersion()).toBe(2);
    expect((await restarted.publish(partners(3))).version).toBe(3);
  });

  it('without a counter, a corrupt pointer stops start() and the message does not advise removing it', async () => {
    await escrow.put(pointerKey(NAME), Buffer.from('{"name":"partners","version":"two"}'));
    const err = (await make()
      .start()
      .catch((e: unknown) => e)) as Error;
    expect(isMeridianError(err, 'MERIDIAN_CONFIG_ESCROW_UNREADABLE')).toBe(true);
    expect(err.message).not.toMatch(/remove it/);
    expect(err.message).toMatch(/restart numbering/);
  });

  it('writes the snapshot object before the pointer', async () => {
    const writes: string[] = [];
    const recording: EscrowStore = {
      kind: 'recording',
      get: (k, o) => escrow.get(k, o),
      put: async (k, b) => {
        writes.push(k);
        await escrow.put(k, b);
      },
    };
    const p = make(recording);
    await p.start();
    await p.publish(partners(1));
    expect(writes).toEqual([snapshotKey(NAME, 1), pointerKey(NAME)]);
    const ptr = (await escrow.get(pointerKey(NAME))) as Extract<StoredObject, { kind: 'found' }>;
    expect(parsePointer(ptr.body, NAME)).toEqual({ name: NAME, version: 1, key: snapshotKey(NAME, 1) });
  });

  it('serves nothing new and throws PUBLISH_FAILED when escrow refuses the write', async () => {
    let failing = false;
    const flaky: EscrowStore = {
      kind: 'flaky',
      get: (k, o) => escrow.get(k, o),
      put: async (k, b) => {
        if (failing) throw new Error('disk full');
        await escrow.put(k, b);
      },
    };
    const p = make(flaky);
    await p.start();
    await p.publish(partners(1));
    failing = true;
    const err = await p.publish(partners(2)).catch((e: unknown) => e);
    expect(isMeridianError(err, 'MERIDIAN_CONFIG_PUBLISH_FAILED')).toBe(true);
    expect(p.latest()?.version).toBe(1);
    failing = false;
    expect((await p.publish(partners(2))).version).toBe(2);
  });

  it('takes a caller-supplied version only if it moves forward', async () => {
    const p = make();
    await p.start();
    expect((await p.publish(partners(1), { version: 100 })).version).toBe(100);
    const err = await p.publish(partners(1), { version: 100 }).catch((e: unknown) => e);
    expect(isMeridianError(err, 'MERIDIAN_CONFIG_BAD_VERSION')).toBe(true);
    expect((await p.publish(partners(1))).version).toBe(101);
  });

  it('refuses data that fails its schema, and publishing before start()', async () => {
    const p = make();
    const early = await p.publish(partners(1)).catch((e: unknown) => e);
    expect(isMeridianError(early, 'MERIDIAN_CONFIG_NOT_STARTED')).toBe(true);
    await p.start();
    const bad = await p.publish({ partners: 'x' } as unknown as Partners).catch((e: unknown) => e);
    expect(isMeridianError(bad, 'MERIDIAN_CONFIG_INVALID_DATA')).toBe(true);
    expect(p.lastVersion()).toBe(0);
  });

  it('refuses to start on an unreadable or corrupt pointer rather than guess a version', async () => {
    await escrow.put(pointerKey(NAME), Buffer.from('{"name":"partners","version":"two"}'));
    const err = await make()
      .start()
      .catch((e: unknown) => e);
    expect(isMeridianError(err, 'MERIDIAN_CONFIG_ESCROW_UNREADABLE')).toBe(true);
    const down: EscrowStore = {
      kind: 'down',
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      put: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const err2 = await make(down)
      .start()
      .catch((e: unknown) => e);
    expect(isMeridianError(err2, 'MERIDIAN_CONFIG_ESCROW_UNREADABLE')).toBe(true);
  });

  it('serves the latest over HTTP with a strong ETag: 404, 200, then 304 without a body', async () => {
    const p = make();
    await p.start();
    const server = await startPublisherServer({ publishers: [p as ConfigPublisher<unknown>] });
    try {
      const url = server.urlOf(NAME);
      const none = await request(url);
      await none.body.dump();
      expect(none.statusCode).toBe(404);

      await p.publish(partners(2));
      const full = await request(url);
      const text = await full.body.text();
      expect(full.statusCode).toBe(200);
      const etag = full.headers.etag as string;
      expect(etag).toMatch(/^"1-[\w-]+"$/);
      expect(Buffer.from(text)).toEqual(p.latest()?.bytes);

      const cond = await request(url, { headers: { 'if-none-match': etag } });
      expect(cond.statusCode).toBe(304);
      expect(await cond.body.text()).toBe('');
      const weak = await request(url, { headers: { 'if-none-match': `"other", W/${etag}` } });
      await weak.body.dump();
      expect(weak.statusCode).toBe(304);

      await p.publish(partners(3));
      const changed = await request(url, { headers: { 'if-none-match': etag } });
      await changed.body.dump();
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    } finally {
      await server.close();
    }
  });
});
