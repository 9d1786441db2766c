// `meridian drill …` arguments → a DrillSpec, with messages that say how to write them.
import { MeridianError } from '../core/index.js';
import { type DrillSpec, parseDurationMs, parseRolloutSteps } from './drill-plan.js';

const USAGE = [
  'region-down REGION [--for 60s]',
  'region-pause REGION [--for 60s]',
  'home-down [--for 60s]',
  'config-source-down [--corrupt] [--for 60s]',
  'rollout REGION --steps 0.1,1,5,25,100 --every 20s',
  'drain REGION [--for 60s]',
  'latency NETWORK REGION --add 150ms [--for 5m]',
  'slow REGION --add 300ms [--for 60s]',
];

function bad(message: string): MeridianError {
  return new MeridianError('MERIDIAN_LAB_BAD_DRILL', `${message}\nDrills:\n  ${USAGE.join('\n  ')}`);
}

/**
 * Parses `[kind, ...args]`. `regions` and `networks` (when given) are the world's names, so a
 * typo is caught before anything is killed.
 */
export function parseDrillCommand(
  argv: readonly string[],
  regions?: readonly string[],
  networks?: readonly string[],
): DrillSpec {
  const [kind, ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (a === '--corrupt') flags.set('corrupt', true);
    else {
      const v = rest[i + 1];
      if (v === undefined || v.startsWith('--')) throw bad(`${a} needs a value`);
      flags.set(a.slice(2), v);
      i += 1;
    }
  }
  const allowed: Record<string, readonly string[]> = {
    'region-down': ['for'],
    'region-pause': ['for'],
    'home-down': ['for'],
    'config-source-down': ['for', 'corrupt'],
    rollout: ['steps', 'every'],
    drain: ['for'],
    latency: ['add', 'for'],
    slow: ['add', 'for'],
  };
  if (!kind || !(kind in allowed)) throw bad(kind ? `unknown drill "${kind}"` : 'which drill?');
  for (const f of flags.keys()) {
    if (!allowed[kind]!.includes(f)) throw bad(`${kind} takes no --${f}`);
  }
  let network = '';
  if (kind === 'latency') {
    if (positional.length !== 2) throw bad('latency needs a NETWORK and a REGION');
    network = positional.shift()!;
    if (networks && !networks.includes(network)) {
      throw bad(`no network "${network}" in this world (networks: ${networks.join(', ') || 'none'})`);
    }
  }
  const needsRegion = kind !== 'home-down' && kind !== 'config-source-down';
  if (needsRegion && positional.length !== 1) throw bad(`${kind} needs exactly one REGION`);
  if (!needsRegion && positional.length !== 0) throw bad(`${kind} takes no REGION`);
  const region = positional[0] ?? '';
  if (needsRegion && regions && !regions.includes(region)) {
    throw bad(`no region "${region}" in this world (regions: ${regions.join(', ')})`);
  }
  const str = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const forMs = str('for') === undefined ? {} : { forMs: parseDurationMs(str('for')!) };
  switch (kind) {
    case 'region-down':
      return { kind, region, ...forMs };
    case 'region-pause':
      return { kind, region, ...forMs };
    case 'drain':
      return { kind, region, ...forMs };
    case 'home-down':
      return { kind, ...forMs };
    case 'config-source-down':
      return { kind, mode: flags.has('corrupt') ? 'corrupt' : 'unavailable', ...forMs };
    case 'latency':
    case 'slow': {
      const add = str('add');
      if (!add) throw bad(`${kind} needs --add, the extra round trip (such as --add 150ms)`);
      const addMs = parseDurationMs(
        add.endsWith('s') || add.endsWith('m') || add.endsWith('h') ? add : `${add}ms`,
      );
      if (addMs <= 0 || addMs > 10_000)
        throw bad(`--add ${add}: the extra round trip must be between 1 ms and 10 s`);
      return kind === 'latency'
        ? { kind, network, region, addMs, ...forMs }
        : { kind, region, addMs, ...forMs };
    }
    default: {
      const steps = str('steps');
      const every = str('every');
      if (!steps || !every) throw bad('rollout needs --steps and --every');
      return { kind: 'rollout', region, steps: parseRolloutSteps(steps), everyMs: parseDurationMs(every) };
    }
  }
}
