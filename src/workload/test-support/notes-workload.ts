// The notes workload of src/workload/README.md, for tests that need a second workload at home
// (the fastify README service runs against it).
import { z } from 'zod';
import { createHttpApp } from '../../http/io/index.js';
import type { Workload } from '../../workload/index.js';

const notesConfigSchema = z.strictObject({ banner: z.string().max(200) });
type NotesConfig = z.infer<typeof notesConfigSchema>;

/** A region says the banner and takes notes; home keeps the banner and counts the notes. */
export const notesWorkload: Workload<NotesConfig> = {
  name: 'notes',
  configSchema: notesConfigSchema,
  softWrites: {
    'note-added': {
      description: 'a note was taken in a region',
      ingest: async (tx, payload) => {
        const { region } = payload as { region: string };
        await tx.query('INSERT INTO notes (region) VALUES ($1)', [region]);
      },
    },
  },
  createRegionApp: ({ registry, httpLimits }) => createHttpApp({}, { limits: httpLimits, registry }),
  registerRegion({ app, config, events, region }) {
    app.get('/v1/banner', async (_request, reply) => {
      const c = config();
      return c ? { banner: c.banner } : reply.code(503).send({ error: 'cold' });
    });
    app.post('/v1/notes', async (request, reply) => {
      const key = String((request.body as { id?: unknown })?.id ?? '');
      await events.enqueue('note-added', { region }, { key });
      return reply.code(201).send({ accepted: key });
    });
    return { healthChecks: [] };
  },
  home: {
    migrations: [
      {
        version: 10_000,
        name: 'notes',
        statements: [
          'CREATE TABLE notes_banner (id INTEGER PRIMARY KEY, text TEXT NOT NULL)',
          "INSERT INTO notes_banner (id, text) VALUES (1, 'hello')",
          'CREATE TABLE notes (region TEXT NOT NULL)',
        ],
      },
    ],
    buildConfig: async (db) => {
      const [row] = await db.query('SELECT text FROM notes_banner WHERE id = 1');
      return { banner: String(row?.text) };
    },
    registerRoutes({ app, db, change }) {
      app.put('/v1/admin/banner', async (request) => {
        const { banner } = request.body as { banner: string };
        const { configVersion } = await change(() =>
          db.query('UPDATE notes_banner SET text = $1 WHERE id = 1', [banner]),
        );
        return { configVersion };
      });
    },
    installErrors: () => undefined,
    stats: async (db) => {
      const [row] = await db.query('SELECT COUNT(*) AS n FROM notes');
      return { notes: Number(row?.n) };
    },
  },
};
