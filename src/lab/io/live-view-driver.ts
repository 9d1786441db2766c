// Shows the live view once a second: redrawn in place on a terminal, or as plain lines (one
// title line, then a summary line per refresh and each new drill event once) when the output is not a TTY.
import { type Clock, systemClock } from '../../core/index.js';
import { type LiveViewState, renderLiveView, renderLiveViewLine } from '../live-view.js';
import { redrawInPlace, SHOW_CURSOR } from '../terminal-frame.js';

export interface LiveViewDriverOptions {
  /** Builds the state to show; called once per refresh. */
  readonly state: () => LiveViewState;
  /** `rows`, when known, keeps a frame within the terminal's height. */
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean; readonly rows?: number };
  /** Lines kept above the frame on a terminal (for example where things listen). */
  readonly header?: string;
  readonly intervalMs?: number;
  readonly clock?: Clock;
}

/** `start()` draws now and every second; `stop()` ends it. */
export class LiveViewDriver {
  readonly #options: LiveViewDriverOptions;
  readonly #clock: Clock;
  #cancel: (() => void) | undefined;
  #frames = 0;
  #lines = 0;
  #eventsShown: readonly string[] = [];

  constructor(options: LiveViewDriverOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  get frames(): number {
    return this.#frames;
  }

  start(): void {
    if (this.#cancel) return;
    this.#draw();
  }

  /** Stops refreshing; on a terminal the cursor is shown again below the last frame. */
  stop(): void {
    if (!this.#cancel) return;
    this.#cancel();
    this.#cancel = undefined;
    if (this.#options.out.isTTY) this.#options.out.write(SHOW_CURSOR);
  }

  #draw(): void {
    const { out, header } = this.#options;
    const state = this.#options.state();
    if (out.isTTY) {
      const frame = header ? `${header}\n\n${renderLiveView(state)}` : renderLiveView(state);
      const r = redrawInPlace(frame, this.#lines, out.rows);
      this.#lines = r.lines;
      out.write(r.text);
    } else {
      if (this.#frames === 0) out.write(`${state.title}\n`);
      const fresh = state.events.filter((e) => !this.#eventsShown.includes(e));
      this.#eventsShown = state.events;
      for (const e of fresh) out.write(`drill: ${e}\n`);
      out.write(`${renderLiveViewLine(state)}\n`);
    }
    this.#frames += 1;
    this.#cancel = this.#clock.setTimeout(() => this.#draw(), this.#options.intervalMs ?? 1000);
  }
}
