// One contract, every source: home HTTP, directory escrow, S3 escrow (s3rver).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigPublisher } from './config-publisher.js';
import type { ConfigSource, FetchRequest } from './config-source.js';
import { toDataValidator } from './data-validator.js';
import { escrowSource } from './escrow-source.js';
import type { EscrowStore } from './escrow-store.js';
import { directoryEscrowStore } from './io/directory-escrow-store.js';
import { httpSource } from './io/http-source.js';
import { startPublisherServer } from './io/publisher-routes.js';
import { s3EscrowStore } from './io/s3-escrow-store.js';
import { toPublicKey } from './signing-keys.js';
import { keys, type Partners, partners, partnersSchema, tempDir } from './test-support/fixtures.js';
import { s3ClientFor, startS3rver } from './test-support/start-s3rver.js';
import { verifySnapshot } from './verify-snapshot.js';

interface Harness {
  publisher: ConfigPublisher<Partners>;
  source: ConfigSource;
  /** A source of the same kind pointed at something that does not answer. */
  broken(): Promise<ConfigSource>;
  close(): Promise<void>;
}

const NAME = 'partners';

async function publisherOn(escrow: EscrowStore): Promise<ConfigPublisher<Partners>> {
  const publisher = new ConfigPublisher<Partners>({ name: NAME, privateKey: keys.privateKey, escrow });
  await publisher.start();
  return publisher;
}

const kinds: Record<string, () => Promise<Harness>> = {
  async http() {
    const dir = await tempDir();
    const publisher = await publisherOn(directoryEscrowStore(dir.path));
    const server = await startPublisherServer({ publishers: [publisher as ConfigPublisher<unknown>] });
    const source = httpSource({ url: server.urlOf(NAME) });
    return {
      publisher,
      source,
      async broken() {
        const gone = await startPublisherServer({ publishers: [] });
        await gone.close();
        return httpSource({ url: gone.urlOf(NAME) });
      },
      async close() {
        await source.close?.();
        await server.close();
        await dir.remove();
      },
    };
  },
  async directory() {
    const dir = await tempDir();
    const store = directoryEscrowStore(dir.path);
    const publisher = await publisherOn(store);
    return {
      publisher,
      source: escrowSource(store, { name: NAME }),
      async broken() {
        const file = join(dir.path, 'not-a-directory');
        await writeFile(file, 'x');
        return escrowSource(directoryEscrowStore(file), { name: NAME });
      },
      close: () => dir.remove(),
    };
  },
  async s3() {
    const s3 = await startS3rver();
    const store = s3EscrowStore({ client: s3.client(), bucket: s3.bucket, prefix: 'meridian/' });
    const publisher = await publisherOn(store);
    return {
      publisher,
      source: escrowSource(store, { name: NAME }),
      async broken() {
        const other = await startS3rver();
        const client = s3ClientFor(other.endpoint);
        await other.close();
        return escrowSource(s3EscrowStore({ client, bucket: 'escrow' }), { name: NAME });
      },
      close: () => s3.close(),
    };
  },
};

const publicKey = toPublicKey(keys.publicKey);
const validate = toDataValidator(partnersSchema);

function versionOf(bytes: Uint8Array, currentVersion = 0): number {
  const r = verifySnapshot(bytes, {
    name: NAME,
    publicKey,
    validate,
    currentVersion,
    nowMs: Date.now(),
    maxBytes: 1e7,
  });
  if (!r.ok) throw new Error(`did not verify: ${r.reason} ${r.detail}`);
  return r.snapshot.version;
}

function req(
  cursor: string | undefined,
  currentVersion: number,
  signal = new AbortController().signal,
  maxBytes = 16 * 1024 * 1024,
): FetchRequest {
  return { cursor, currentVersion, maxBytes, signal };
}

for (const [kind, make] of Object.entries(kinds)) {
  describe(`ConfigSource contract: ${kind}`, () => {
    let h: Harness;
    const extra: ConfigSource[] = [];
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close?.();
      await h.close();
    });
    afterAll(() => undefined);

    it('reports empty before anything is published', async () => {
      const r = await h.source.fetch(req(undefined, 0));
      expect(r.kind).toBe('empty');
    });

    it('returns the published envelope, then unchanged for its cursor, then the next version', async () => {
      await h.publisher.publish(partners(3));
      const first = await h.source.fetch(req(undefined, 0));
      expect(first.kind).toBe('snapshot');
      if (first.kind !== 'snapshot') return;
      expect(versionOf(first.bytes)).toBe(1);
      expect(first.cursor).toBeTruthy();

      const again = await h.source.fetch(req(first.cursor, 1));
      expect(again.kind).toBe('unchanged');

      await h.publisher.publish(partners(4));
      const second = await h.source.fetch(req(first.cursor, 1));
      expect(second.kind).toBe('snapshot');
      if (second.kind !== 'snapshot') return;
      expect(versionOf(second.bytes, 1)).toBe(2);
      expect(second.cursor).not.toBe(first.cursor);
    });

    it('returns the latest envelope again to a caller without a cursor', async () => {
      await h.publisher.publish(partners(1));
      await h.publisher.publish(partners(2));
      const r = await h.source.fetch(req(undefined, 0));
      expect(r.kind === 'snapshot' && versionOf(r.bytes)).toBe(2);
    });

    it("answers a refused snapshot's cursor with unchanged and no new cursor while it stays", async () => {
      await h.publisher.publish(partners(1));
      const first = await h.source.fetch(req(undefined, 0));
      expect(first.kind).toBe('snapshot');
      // The cache refused it and still holds nothing: the same thing again is "unchanged", no cursor.
      expect(await h.source.fetch(req(first.kind === 'snapshot' ? first.cursor : undefined, 0))).toEqual({
        kind: 'unchanged',
      });
    });

    it('reports a snapshot over maxBytes as too-large without reading it, then unchanged for its cursor', async () => {
      await h.publisher.publish(partners(500));
      const r = await h.source.fetch(req(undefined, 0, undefined, 1000));
      expect(r).toMatchObject({ kind: 'too-large', size: expect.any(Number) });
      if (r.kind !== 'too-large') return;
      expect(r.size).toBeGreaterThan(1000);
      expect(r.cursor).toBeTruthy();
      expect(await h.source.fetch(req(r.cursor, 0, undefined, 1000))).toEqual({ kind: 'unchanged' });
    });

    it('reports an unreachable store as failed instead of throwing', async () => {
      const broken = await h.broken();
      extra.push(broken);
      const r = await broken.fetch(req(undefined, 0));
      expect(r.kind).toBe('failed');
      if (r.kind === 'failed') expect(r.detail.length).toBeGreaterThan(0);
    });

    it('reports an aborted fetch as failed', async () => {
      await h.publisher.publish(partners(1));
      const abort = new AbortController();
      abort.abort(new Error('stop'));
      const r = await h.source.fetch(req(undefined, 0, abort.signal));
      expect(r.kind).toBe('failed');
    });
  });
}
