import { defineConfig } from 'vitest/config';
import { testServiceUrls } from './scripts/test-prerequisites-plan.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The local PostgreSQL and Redis unless DATABASE_URL / REDIS_URL say otherwise
    // (`scripts/test-prerequisites.ts` checks that they answer before the tests start).
    env: testServiceUrls(process.env),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
