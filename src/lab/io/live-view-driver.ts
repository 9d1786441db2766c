// Redraws the live view once a second on a terminal (or appends frames when not a TTY).
import { type Clock, systemClock } from '../../core/index.js';
import { type LiveViewState, renderLiveView } from '../live-view.js';

export interface LiveViewDriverOptions {
  /** Builds the state to show; called once per refresh. */
  readonly state: () => LiveViewState;
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly intervalMs?: number;
  readonly clock?: Clock;
}

const CLEAR = '\u001b[H\u001b[2J';

/** `start()` draws now and every second; `stop()` ends it. */
export class LiveViewDriver {
  readonly #options: LiveViewDriverOptions;
  readonly #clock: Clock;
  #cancel: (() => void) | undefined;
  #frames = 0;

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

  stop(): void {
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #draw(): void {
    const frame = renderLiveView(this.#options.state());
    this.#options.out.write(this.#options.out.isTTY ? `${CLEAR}${frame}` : `${frame}\n`);
    this.#frames += 1;
    this.#cancel = this.#clock.setTimeout(() => this.#draw(), this.#options.intervalMs ?? 1000);
  }
}
