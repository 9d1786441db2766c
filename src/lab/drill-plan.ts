// Drills as data: what an operator asks for (`region-down eu-west-2 --for 60s`) becomes a
// timeline of events at offsets from the drill's start.
import { MeridianError } from '../core/index.js';

/** One thing that happens to the world. */
export type DrillEvent =
  | { readonly kind: 'region-down'; readonly region: string }
  | { readonly kind: 'region-up'; readonly region: string }
  | { readonly kind: 'region-pause'; readonly region: string }
  | { readonly kind: 'region-resume'; readonly region: string }
  | { readonly kind: 'home-down' }
  | { readonly kind: 'home-up' }
  | { readonly kind: 'config-source-down'; readonly mode: 'unavailable' | 'corrupt' }
  | { readonly kind: 'config-source-up' }
  | { readonly kind: 'rollout'; readonly region: string; readonly percent: number }
  | { readonly kind: 'drain'; readonly region: string }
  | { readonly kind: 'undrain'; readonly region: string }
  /** The true round trip from `network` (every network when null) to `region` grows by `addMs`. */
  | {
      readonly kind: 'latency-add';
      readonly network: string | null;
      readonly region: string;
      readonly addMs: number;
    }
  | { readonly kind: 'latency-clear'; readonly network: string | null; readonly region: string };

/** What an operator asks for; `forMs` undoes the failure after that long. */
export type DrillSpec =
  | { readonly kind: 'region-down'; readonly region: string; readonly forMs?: number }
  | { readonly kind: 'region-pause'; readonly region: string; readonly forMs?: number }
  | { readonly kind: 'home-down'; readonly forMs?: number }
  | {
      readonly kind: 'config-source-down';
      readonly mode?: 'unavailable' | 'corrupt';
      readonly forMs?: number;
    }
  | {
      readonly kind: 'rollout';
      readonly region: string;
      readonly steps: readonly number[];
      readonly everyMs: number;
    }
  | { readonly kind: 'drain'; readonly region: string; readonly forMs?: number }
  /** A cable cut or a bad peering: one network's path to one region gets slower. */
  | {
      readonly kind: 'latency';
      readonly network: string;
      readonly region: string;
      readonly addMs: number;
      readonly forMs?: number;
    }
  /** A region that is slow, not dead: every network's path to it gets slower. */
  | { readonly kind: 'slow'; readonly region: string; readonly addMs: number; readonly forMs?: number };

export interface TimelineEntry {
  /** Offset from the drill's start. */
  readonly atMs: number;
  readonly event: DrillEvent;
}

/** The timeline for a drill, sorted by offset; `startMs` shifts all of it. */
export function planDrill(spec: DrillSpec, startMs = 0): TimelineEntry[] {
  const at = (ms: number, event: DrillEvent): TimelineEntry => ({ atMs: startMs + ms, event });
  const undo = (forMs: number | undefined, event: DrillEvent): TimelineEntry[] =>
    forMs === undefined ? [] : [at(forMs, event)];
  switch (spec.kind) {
    case 'region-down':
      return [
        at(0, { kind: 'region-down', region: spec.region }),
        ...undo(spec.forMs, { kind: 'region-up', region: spec.region }),
      ];
    case 'region-pause':
      return [
        at(0, { kind: 'region-pause', region: spec.region }),
        ...undo(spec.forMs, { kind: 'region-resume', region: spec.region }),
      ];
    case 'home-down':
      return [at(0, { kind: 'home-down' }), ...undo(spec.forMs, { kind: 'home-up' })];
    case 'config-source-down':
      return [
        at(0, { kind: 'config-source-down', mode: spec.mode ?? 'unavailable' }),
        ...undo(spec.forMs, { kind: 'config-source-up' }),
      ];
    case 'rollout':
      return spec.steps.map((percent, i) =>
        at(i * spec.everyMs, { kind: 'rollout', region: spec.region, percent }),
      );
    case 'drain':
      return [
        at(0, { kind: 'drain', region: spec.region }),
        ...undo(spec.forMs, { kind: 'undrain', region: spec.region }),
      ];
    case 'latency':
    case 'slow': {
      const network = spec.kind === 'latency' ? spec.network : null;
      return [
        at(0, { kind: 'latency-add', network, region: spec.region, addMs: spec.addMs }),
        ...undo(spec.forMs, { kind: 'latency-clear', network, region: spec.region }),
      ];
    }
  }
}

/** How long a drill lasts: the offset of its last event. */
export function drillLengthMs(timeline: readonly TimelineEntry[]): number {
  return timeline.reduce((max, e) => Math.max(max, e.atMs), 0);
}

/** A short label for charts and logs: `region-down eu-west-2`, `rollout eu-west-2 5%`. */
export function describeDrillEvent(e: DrillEvent): string {
  switch (e.kind) {
    case 'rollout':
      return `rollout ${e.region} ${e.percent}%`;
    case 'config-source-down':
      return `config-source-down (${e.mode})`;
    case 'latency-add':
      return `latency ${e.network ?? 'every network'} → ${e.region} +${e.addMs} ms`;
    case 'latency-clear':
      return `latency ${e.network ?? 'every network'} → ${e.region} restored`;
    case 'home-down':
    case 'home-up':
    case 'config-source-up':
      return e.kind;
    default:
      return `${e.kind} ${e.region}`;
  }
}

/** Parses `60s`, `1.5m`, `500ms`, `2h` or a bare number of seconds into milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) {
    throw new MeridianError(
      'MERIDIAN_LAB_BAD_DRILL',
      `"${text}" is not a duration: write a number with ms, s, m or h, such as 60s`,
    );
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

/** Parses `0.1,1,5,25,100` into rollout percentages (each in (0, 100], increasing). */
export function parseRolloutSteps(text: string): number[] {
  const steps = text.split(',').map((s) => s.trim());
  const out: number[] = [];
  for (const s of steps) {
    const n = Number(s);
    if (s === '' || !Number.isFinite(n) || n < 0 || n > 100) {
      throw new MeridianError(
        'MERIDIAN_LAB_BAD_DRILL',
        `rollout step "${s}" is not a percentage between 0 and 100 (steps look like 0.1,1,5,25,100)`,
      );
    }
    if (out.length && n <= out[out.length - 1]!) {
      throw new MeridianError(
        'MERIDIAN_LAB_BAD_DRILL',
        `rollout steps must increase: ${n} comes after ${out[out.length - 1]} in "${text}"`,
      );
    }
    out.push(n);
  }
  return out;
}
