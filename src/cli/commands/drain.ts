// `meridian drain | undrain REGION` and `meridian rollout HOSTNAME`: operator changes, through a
// `meridian dns` admin API (the floor, the preview and the record are the server's).
import { hostname as hostName, userInfo } from 'node:os';
import type { Command } from 'commander';
import { MeridianError } from '../../core/index.js';
import { adminTokenFromFlags } from '../admin-token-from-flags.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import {
  checkRollout,
  fleetFloor,
  fleetPreview,
  hostnameFqdn,
  record,
  withFleetStore,
} from './fleet-operator.js';

interface TargetFlags {
  admin: string;
  nats?: string;
  fleet?: string;
  world: string;
  adminTokenFile?: string;
  who?: string;
  reason?: string;
  json?: boolean;
}

interface DrainFlags extends TargetFlags {
  force?: boolean;
  preview?: boolean;
}

interface RolloutFlags extends TargetFlags {
  region?: string;
  percent?: string;
  sticky: boolean;
  clear?: boolean;
}

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8054';

/** `user@host` of whoever runs the command: what the record says when `--who` is not given. */
export function defaultWho(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container): keep "unknown"
  }
  return `${user}@${hostName()}`;
}

function adminBase(text: string): string {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(text) ? text : `http://${text}`);
  } catch {
    throw new MeridianError('MERIDIAN_USAGE', `--admin "${text}" is not a URL (like ${DEFAULT_ADMIN_URL})`);
  }
  return url.origin;
}

/** POSTs/PUTs a JSON body to the admin API; resolves to the status and the parsed JSON body. */
async function call(
  flags: TargetFlags,
  method: 'POST' | 'PUT',
  path: string,
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const base = adminBase(flags.admin);
  const token = adminTokenFromFlags(flags.adminTokenFile, process.env);
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_USAGE',
      `no meridian dns admin API at ${base} (${(err as Error).cause ?? (err as Error).message}); give --admin URL`,
    );
  }
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { error: text };
  }
  return { status: res.status, body: parsed };
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option('--admin <url>', 'admin API of a meridian dns (when no --nats)', DEFAULT_ADMIN_URL)
    .option('--nats <url,...>', "the fleet's NATS servers: change its operator state directly")
    .option('--fleet <name>', 'fleet name with --nats (default: the zone, dots as dashes)')
    .option('--world <file>', 'world file with --nats (regions, floor, fleet name)', 'meridian.yaml')
    .option('--admin-token-file <file>', 'file holding the admin bearer token (or env MERIDIAN_ADMIN_TOKEN)')
    .option('--who <name>', 'who makes the change, for the record (default: user@host)')
    .option('--reason <text>', 'why, for the record')
    .option('--json', 'print the server answer as JSON');
}

/** Prints a refusal or a failure and sets exit 1; true when the call succeeded. */
function succeeded(io: CliIo, r: { status: number; body: Record<string, unknown> }): boolean {
  if (r.status >= 200 && r.status < 300) return true;
  const code = typeof r.body.code === 'string' ? `${r.body.code}: ` : '';
  io.err(`refused (HTTP ${r.status}): ${code}${String(r.body.error ?? 'no reason given')}`);
  io.setExitCode(EXIT_FAILED);
  return false;
}

interface PreviewRow {
  network: string;
  hostname: string;
  before: { regions: string[] };
  after: { regions: string[] };
  extraLatencyMs: number | null;
  oldAnswerExpiresInSeconds: number;
}

/** The preview as lines: the floor verdict, one line per changed answer, the countdown. */
export function formatPreview(p: Record<string, unknown>): string[] {
  const floor = p.floor as { ok: boolean; reason: string };
  const rows = (p.changes as PreviewRow[]) ?? [];
  const out = [
    `preview: draining ${String(p.region)} (nothing was changed)`,
    `floor: ${floor.ok ? 'passes' : 'REFUSED'}: ${floor.reason}`,
  ];
  const width = (f: (r: PreviewRow) => string) => Math.max(0, ...rows.map((r) => f(r).length));
  const nw = width((r) => r.network);
  const hw = width((r) => r.hostname);
  for (const r of rows) {
    const extra =
      r.extraLatencyMs === null ? 'no answer' : `${r.extraLatencyMs >= 0 ? '+' : ''}${r.extraLatencyMs} ms`;
    out.push(
      `  ${r.network.padEnd(nw)}  ${r.hostname.padEnd(hw)}  ${r.before.regions.join(',') || '-'} → ${r.after.regions.join(',') || '-'}  ${extra}  old answer cached up to ${r.oldAnswerExpiresInSeconds} s`,
    );
  }
  out.push(`${rows.length} answer${rows.length === 1 ? '' : 's'} change, ${String(p.unchanged)} unchanged`);
  out.push(
    `last cached old answer expires ${String(p.lastOldAnswerExpiresInSeconds)} s after the drain (TTL + detection)`,
  );
  return out;
}

function fleetTarget(flags: TargetFlags) {
  return { nats: flags.nats!, world: flags.world, ...(flags.fleet ? { fleet: flags.fleet } : {}) };
}

/** A drain (or its preview) through the fleet's bucket, answered like the admin API would. */
async function fleetDrain(
  region: string,
  flags: DrainFlags,
  who: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return withFleetStore(fleetTarget(flags), async (store, world) => {
    const force = flags.force === true;
    if (flags.preview) {
      const preview = fleetPreview(world, store.state().drains, region, force, flags.reason);
      return { status: preview.floor.rule === 'unknown-region' ? 404 : 200, body: { ...preview } };
    }
    const { verdict, revision } = await store.drain(
      region,
      fleetFloor(world, region, force, flags.reason),
      record('drain', region, who, flags.reason, false),
    );
    if (!verdict.ok) {
      const status =
        verdict.rule === 'unknown-region' ? 404 : verdict.rule === 'force-without-reason' ? 400 : 409;
      const code =
        verdict.rule === 'force-without-reason'
          ? 'MERIDIAN_GSLB_DRAIN_FORCE_NEEDS_REASON'
          : 'MERIDIAN_GSLB_DRAIN_BELOW_FLOOR';
      return {
        status,
        body: { code: verdict.rule === 'unknown-region' ? undefined : code, error: verdict.reason },
      };
    }
    return { status: 200, body: { region, drained: true, forced: verdict.forced, floor: verdict, revision } };
  });
}

export function registerOperatorCommands(program: Command, io: CliIo): void {
  targetOptions(
    program
      .command('drain')
      .description('stop answering with a region (refused below drain.minServing unless forced)')
      .argument('<region>', 'region to drain'),
  )
    .option('--force', 'drain below the floor (needs --reason; recorded)')
    .option('--preview', 'show what the drain would change per network, and change nothing')
    .addHelpText(
      'after',
      [
        '',
        'Exit 0: drained (or previewed). Exit 1: refused (the floor, drain.minServing) or failed.',
        'A forced drain is recorded with --who, the time and --reason in /v1/state.',
      ].join('\n'),
    )
    .action(async (region: string, flags: DrainFlags) => {
      const body = {
        who: flags.who ?? defaultWho(),
        ...(flags.reason ? { reason: flags.reason } : {}),
        ...(flags.force ? { force: true } : {}),
      };
      const path = `/v1/regions/${encodeURIComponent(region)}/drain${flags.preview ? '?preview=1' : ''}`;
      const r = flags.nats
        ? await fleetDrain(region, flags, body.who)
        : await call(flags, 'POST', path, body);
      if (!succeeded(io, r)) return;
      if (flags.json) io.out(JSON.stringify(r.body, null, 2));
      else if (flags.preview) for (const line of formatPreview(r.body)) io.out(line);
      else io.out(`drained ${region}${r.body.forced ? ' (forced below the floor; recorded)' : ''}`);
      io.setExitCode(EXIT_OK);
    });

  targetOptions(
    program
      .command('undrain')
      .description('answer with a drained region again')
      .argument('<region>', 'region to undrain'),
  ).action(async (region: string, flags: TargetFlags) => {
    const body = { who: flags.who ?? defaultWho(), ...(flags.reason ? { reason: flags.reason } : {}) };
    const r = flags.nats
      ? await withFleetStore(fleetTarget(flags), async (store, world) => {
          if (!world.regions.some((x) => x.name === region))
            return { status: 404, body: { error: `"${region}" is not a region of ${world.zone}` } };
          const revision = await store.undrain(region, record('undrain', region, body.who, flags.reason));
          return { status: 200, body: { region, drained: false, revision } };
        })
      : await call(flags, 'POST', `/v1/regions/${encodeURIComponent(region)}/undrain`, body);
    if (!succeeded(io, r)) return;
    io.out(flags.json ? JSON.stringify(r.body, null, 2) : `undrained ${region}`);
    io.setExitCode(EXIT_OK);
  });

  targetOptions(
    program
      .command('rollout')
      .description("override a hostname's rollout at runtime (until the world file changes)")
      .argument('<hostname>', 'hostname, relative to the zone or absolute'),
  )
    .option('--region <name>', 'region being rolled out')
    .option('--percent <p>', 'share of clients, 0-100 in steps of 0.01')
    .option('--no-sticky', 'split per query instead of per client subnet')
    .option('--clear', 'remove the rollout override')
    .action(async (hostname: string, flags: RolloutFlags) => {
      let body: Record<string, unknown>;
      if (flags.clear) body = { rollout: null };
      else {
        const percent = Number(flags.percent);
        if (!flags.region || flags.percent === undefined || !Number.isFinite(percent)) {
          throw new MeridianError('MERIDIAN_USAGE', 'give --region NAME --percent 0-100, or --clear');
        }
        body = { region: flags.region, percent, sticky: flags.sticky };
      }
      body = { ...body, who: flags.who ?? defaultWho(), ...(flags.reason ? { reason: flags.reason } : {}) };
      const r = flags.nats
        ? await withFleetStore(fleetTarget(flags), async (store, world) => {
            const fqdn = hostnameFqdn(world, hostname);
            const who = String(body.who);
            if (flags.clear) {
              await store.clearRollout(fqdn);
              return { status: 200, body: { hostname: fqdn, rollout: null, override: 'removed' } };
            }
            const rollout = checkRollout(world, {
              region: String(body.region),
              basisPoints: Math.round(Number(body.percent) * 100),
              sticky: body.sticky === true,
            });
            const revision = await store.setRollout(
              fqdn,
              rollout,
              record('rollout', fqdn, who, flags.reason),
            );
            return { status: 200, body: { hostname: fqdn, rollout, revision } };
          })
        : await call(flags, 'PUT', `/v1/hostnames/${encodeURIComponent(hostname)}/rollout`, body);
      if (!succeeded(io, r)) return;
      io.out(
        flags.json
          ? JSON.stringify(r.body, null, 2)
          : `rollout of ${hostname}: ${JSON.stringify(r.body.rollout)}`,
      );
      io.setExitCode(EXIT_OK);
    });
}
