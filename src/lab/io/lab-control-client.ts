// What `meridian drill …` does: find the running world from its state file and post the drill.
import { readFileSync } from 'node:fs';
import { MeridianError } from '../../core/index.js';
import { DEFAULT_LAB_STATE_FILE, type LabState } from './lab-control-server.js';

/** Reads the state file of a running `meridian up`. Throws MERIDIAN_LAB_NOT_RUNNING. */
export function readLabState(stateFile: string = DEFAULT_LAB_STATE_FILE): LabState {
  let text: string;
  try {
    text = readFileSync(stateFile, 'utf8');
  } catch {
    throw new MeridianError(
      'MERIDIAN_LAB_NOT_RUNNING',
      `no running world found (${stateFile} is missing): start one with \`meridian up\` in this directory`,
    );
  }
  const state = JSON.parse(text) as LabState;
  try {
    process.kill(state.pid, 0);
  } catch {
    throw new MeridianError(
      'MERIDIAN_LAB_NOT_RUNNING',
      `the world recorded in ${stateFile} (pid ${state.pid}) is no longer running: start one with \`meridian up\``,
    );
  }
  return state;
}

export type DrillReply =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

/** Posts a drill (`['region-down', 'eu-west-2', '--for', '60s']`) to the running world. */
export async function postDrill(controlUrl: string, argv: readonly string[]): Promise<DrillReply> {
  let res: Response;
  try {
    res = await fetch(`${controlUrl}/drills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ argv }),
    });
  } catch (err) {
    throw new MeridianError('MERIDIAN_LAB_NOT_RUNNING', `cannot reach the running world at ${controlUrl}`, {
      cause: err,
    });
  }
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status === 202) return { ok: true, body };
  return {
    ok: false,
    status: res.status,
    code: String(body.code ?? 'MERIDIAN_LAB_BAD_DRILL'),
    message: String(body.message ?? res.statusText),
  };
}
