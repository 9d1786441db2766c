// Run first by `npm test`: checks PostgreSQL, Redis, and the tools the tests run (dig, kdig,
// nats-server); installs the tools with apt-get when run as root, else prints the command; exits 1
// with one line per problem.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { planTools, serviceDownMessage, TEST_TOOLS, testServiceUrls } from './test-prerequisites-plan.js';

/** Debian installs daemons such as nats-server in sbin, which a non-root PATH often lacks. */
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

function has(command: string): boolean {
  if (spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0) return true;
  return SBIN.some((dir) => {
    try {
      accessSync(`${dir}/${command}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<number> {
  const problems: string[] = [];
  const plan = planTools({
    missing: Object.keys(TEST_TOOLS).filter((c) => !has(c)),
    isRoot: process.getuid?.() === 0,
    hasAptGet: has('apt-get'),
  });
  if (plan.action === 'install') {
    console.log(
      `npm test: installing ${plan.packages.join(' ')} (for ${plan.commands.join(', ')}) with apt-get …`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const quiet = {
      env,
      encoding: 'utf8' as const,
      stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[],
    };
    const update = spawnSync('apt-get', ['update', '-qq'], quiet);
    const install = spawnSync('apt-get', ['install', '-y', '-qq', ...plan.packages], quiet);
    const still = plan.commands.filter((c) => !has(c));
    if (install.status !== 0 || still.length > 0) {
      console.error(`${update.stderr ?? ''}${install.stdout ?? ''}${install.stderr ?? ''}`.trim());
      problems.push(
        `npm test: apt-get could not install ${plan.packages.join(' ')} (output above); install them by hand.`,
      );
    }
  } else if (plan.action === 'tell') {
    problems.push(plan.message);
  }

  const urls = testServiceUrls(process.env);
  const [pgOk, redisOk] = await Promise.all([
    postgresAnswers(urls.DATABASE_URL),
    redisAnswers(urls.REDIS_URL),
  ]);
  if (!pgOk) problems.push(serviceDownMessage('PostgreSQL', urls.DATABASE_URL, 'DATABASE_URL'));
  if (!redisOk) problems.push(serviceDownMessage('Redis', urls.REDIS_URL, 'REDIS_URL'));

  for (const p of problems) console.error(p);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = await main();
