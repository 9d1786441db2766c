// Test support: the Redis URL from the environment, or a clear failure telling how to set it.
export function requireRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error('REDIS_URL is not set: export REDIS_URL=redis://127.0.0.1:6379 (CI sets it in .ci/run)');
  }
  return url;
}
