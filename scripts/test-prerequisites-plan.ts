// What `npm test` needs from the machine, and what to do when something is missing: pure, no I/O.

/** The local services the tests use when DATABASE_URL / REDIS_URL are unset. */
export const DEFAULT_TEST_SERVICES = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
} as const;

/** Commands the tests run, and the Debian package that brings each one. */
export const TEST_TOOLS: Readonly<Record<string, string>> = {
  dig: 'bind9-dnsutils',
  kdig: 'knot-dnsutils',
  'nats-server': 'nats-server',
  chromium: 'chromium', // the dashboard's browser tests (playwright-core drives it)
};

/** The service URLs to test against: the environment's, else the local defaults. */
export function testServiceUrls(env: Readonly<Record<string, string | undefined>>): {
  DATABASE_URL: string;
  REDIS_URL: string;
} {
  return {
    DATABASE_URL: nonEmpty(env.DATABASE_URL) ?? DEFAULT_TEST_SERVICES.DATABASE_URL,
    REDIS_URL: nonEmpty(env.REDIS_URL) ?? DEFAULT_TEST_SERVICES.REDIS_URL,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export type ToolPlan =
  | { action: 'none' }
  | { action: 'install'; packages: string[]; commands: string[] }
  | { action: 'tell'; message: string };

/**
 * Missing tools are installed with apt-get when we are root (as in CI, or a fresh container),
 * otherwise the one command that installs them is printed.
 */
export function planTools(input: {
  missing: readonly string[];
  isRoot: boolean;
  hasAptGet: boolean;
}): ToolPlan {
  const missing = input.missing.filter((c) => TEST_TOOLS[c] !== undefined);
  if (missing.length === 0) return { action: 'none' };
  const packages = [...new Set(missing.map((c) => TEST_TOOLS[c]!))];
  if (input.isRoot && input.hasAptGet) return { action: 'install', packages, commands: missing };
  const install = input.hasAptGet
    ? `sudo apt-get install -y ${packages.join(' ')}`
    : `install ${packages.join(', ')} (Debian package names) with your package manager`;
  return {
    action: 'tell',
    message: `npm test: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed; the tests run ${missing.length === 1 ? 'it' : 'them'}. Install with: ${install}`,
  };
}

/** One line telling what to start when a service does not answer. */
export function serviceDownMessage(service: 'PostgreSQL' | 'Redis', url: string, variable: string): string {
  const redacted = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
  const start =
    service === 'PostgreSQL'
      ? 'start it (Debian: pg_ctlcluster 15 main start, or systemctl start postgresql)'
      : 'start it (Debian: redis-server --daemonize yes, or systemctl start redis-server)';
  return `npm test: ${service} does not answer at ${redacted}; ${start}, or set ${variable} to one that does.`;
}
