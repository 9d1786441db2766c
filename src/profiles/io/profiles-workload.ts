// The profiles workload: user preferences read in every region (from the snapshot in memory,
// or through Redis for many users: RedisSnapshotCache with its atomic version switch), writes
// relayed home as soft writes and published in the next snapshot; erasing a user is home-only.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisSnapshotCache } from '../../config/io/index.js';
import { createHttpApp } from '../../http/io/index.js';
import type { Workload } from '../../workload/index.js';
import {
  isPreferenceKey,
  isUserId,
  type Preferences,
  type ProfilesConfig,
  profilesConfigSchema,
} from '../profiles-config.js';

/** The soft write a region sends home when a user sets a preference. */
export const PREFERENCE_SET = 'preference-set';

export interface ProfilesWorkloadOptions {
  /** Read users through this Redis (the region loads each snapshot into it); else from memory. */
  readonly redis?: Redis;
  /** Redis key prefix (default `meridian:profiles`); regions sharing a Redis share it. */
  readonly redisKeyPrefix?: string;
}

const json = (
  reply: { code(n: number): { send(b: unknown): unknown } },
  status: number,
  code: string,
  message: string,
) => reply.code(status).send({ error: { code, message } });

export function profilesWorkload(options: ProfilesWorkloadOptions = {}): Workload<ProfilesConfig> {
  return {
    name: 'profiles',
    configSchema: profilesConfigSchema,
    softWrites: {
      [PREFERENCE_SET]: {
        description: 'a user set a preference in a region; home keeps the last one by write time',
        ingest: async (tx, payload) => {
          const p = payload as { user?: unknown; key?: unknown; value?: unknown; atMs?: unknown };
          if (typeof p.user !== 'string' || typeof p.key !== 'string' || typeof p.value !== 'string') return;
          if (!isUserId(p.user) || !isPreferenceKey(p.key) || typeof p.atMs !== 'number') return;
          await tx.query(
            `INSERT INTO profiles_preferences (user_id, key, value, updated_at_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms,
               writes = profiles_preferences.writes + 1
             WHERE excluded.updated_at_ms >= profiles_preferences.updated_at_ms`,
            [p.user, p.key, p.value, p.atMs],
          );
        },
      },
    },
    homeOnly: [
      { method: 'DELETE', url: '/v1/profiles/:user', why: 'erasing a user must be strongly consistent' },
      {
        method: 'DELETE',
        url: '/v1/admin/profiles/:user',
        why: 'erasing a user must be strongly consistent',
      },
    ],
    createRegionApp: ({ registry, httpLimits, maxBodyBytes, logger, region }) => {
      const app = createHttpApp(
        {
          bodyLimit: maxBodyBytes,
          logger: logger ?? false,
          return503OnClosing: true,
          forceCloseConnections: true,
        },
        { limits: httpLimits, registry, name: 'region' },
      );
      // Which region answered, on every response (as links does; the lab records it).
      app.addHook('onRequest', (_request, reply, done) => {
        reply.header('x-meridian-region', region);
        done();
      });
      return app;
    },
    registerRegion({ app, config, cache, events, clock, registry, region }) {
      const external = options.redis
        ? new RedisSnapshotCache<ProfilesConfig>({
            redis: options.redis,
            keyPrefix: options.redisKeyPrefix ?? 'meridian:profiles',
            entries: (data) =>
              Object.entries(data.users).map(([u, prefs]) => [u, JSON.stringify(prefs)] as const),
            source: cache,
            clock,
            registry,
          })
        : undefined;
      external?.start();
      const read = async (user: string): Promise<Preferences | null | undefined> => {
        if (external) {
          if (!external.warmCheck()) return undefined;
          const text = await external.get(user);
          return text === null ? null : (JSON.parse(text) as Preferences);
        }
        const c = config();
        return c ? (c.users[user] ?? null) : undefined;
      };
      app.get('/v1/profiles/:user', async (request, reply) => {
        const { user } = request.params as { user: string };
        if (!isUserId(user)) return json(reply, 400, 'invalid-user', 'user is 1…64 of A-Z a-z 0-9 _ -');
        const prefs = await read(user);
        if (prefs === undefined) return json(reply, 503, 'config-not-warm', 'no snapshot loaded yet');
        return { user, preferences: prefs ?? {}, region };
      });
      app.put('/v1/profiles/:user/preferences/:key', async (request, reply) => {
        const { user, key } = request.params as { user: string; key: string };
        const value = (request.body as { value?: unknown } | null)?.value;
        if (!isUserId(user) || !isPreferenceKey(key) || typeof value !== 'string' || value.length > 1024) {
          return json(
            reply,
            400,
            'invalid-preference',
            'expected {value} (≤ 1024 characters) for a valid user and key',
          );
        }
        const atMs = clock.now();
        const id = createHash('sha256')
          .update(`${user}\0${key}\0${value}\0${atMs}`)
          .digest('base64url')
          .slice(0, 22);
        try {
          await events.enqueue(PREFERENCE_SET, { user, key, value, atMs, region }, { key: id });
        } catch {
          return json(reply, 503, 'outbox-unavailable', 'the write could not be recorded; retry');
        }
        // Relayed home: visible in the regions once home publishes the next snapshot.
        return reply.code(202).send({ user, key, relayed: true });
      });
      return {
        healthChecks: external
          ? [{ name: 'profiles-redis-warm', critical: true, check: () => external.warmCheck() }]
          : [],
        close: () => external?.stop(),
      };
    },
    home: {
      migrations: [
        {
          version: 1000,
          name: 'profiles: preferences',
          statements: [
            `CREATE TABLE profiles_preferences (
              user_id TEXT NOT NULL,
              key TEXT NOT NULL,
              value TEXT NOT NULL,
              updated_at_ms BIGINT NOT NULL,
              PRIMARY KEY (user_id, key)
            )`,
          ],
        },
        {
          version: 1001,
          name: 'profiles: writes folded per preference (exactly-once is countable)',
          statements: ['ALTER TABLE profiles_preferences ADD COLUMN writes INTEGER NOT NULL DEFAULT 1'],
        },
      ],
      buildConfig: async (db) => {
        const users: Record<string, Record<string, string>> = {};
        for (const r of await db.query(
          'SELECT user_id, key, value FROM profiles_preferences ORDER BY user_id, key',
        )) {
          const user = String(r.user_id);
          let prefs = users[user];
          if (!prefs) {
            prefs = {};
            users[user] = prefs;
          }
          prefs[String(r.key)] = String(r.value);
        }
        return { users };
      },
      registerRoutes({ app, db, change, foldNow }) {
        // Folds the relayed writes and publishes them: run on a schedule, or after a batch.
        app.post('/v1/admin/profiles/publish', async () => {
          const { result, configVersion } = await change(() => foldNow());
          return { folded: result, configVersion };
        });
        // Home-only: erasure takes effect everywhere with the next snapshot, never partially.
        app.delete('/v1/admin/profiles/:user', async (request, reply) => {
          const { user } = request.params as { user: string };
          if (!isUserId(user)) return json(reply, 400, 'invalid-user', 'user is 1…64 of A-Z a-z 0-9 _ -');
          const { configVersion } = await change(async () => {
            await foldNow();
            await db.query('DELETE FROM profiles_preferences WHERE user_id = $1', [user]);
          });
          return { erased: user, configVersion };
        });
      },
      installErrors: () => undefined,
      stats: async (db) => {
        const [row] = await db.query(
          'SELECT COUNT(DISTINCT user_id) AS n, COALESCE(SUM(writes), 0) AS w FROM profiles_preferences',
        );
        // `writes`: the relayed writes folded (each event once, so a replay would show here).
        return { users: Number(row?.n ?? 0), writes: Number(row?.w ?? 0) };
      },
    },
  };
}
