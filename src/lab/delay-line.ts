// A FIFO that releases each item a fixed delay after it was pushed, never earlier: the core
// of a latency link. Time comes from an injected Clock.
import { type Clock, systemClock } from '../core/index.js';
import { preciseTimeout } from './precise-timeout.js';

interface Pending<T> {
  readonly dueAt: number;
  readonly item: T;
}

/**
 * Items come out in push order, each no sooner than `delayMs` after its push (by the clock's
 * monotonic time). A timer that fires early is re-armed for the rest. On the real clock the
 * wait is sub-millisecond precise (`preciseTimeout`); an injected clock gets whole-ms timers.
 */
export class DelayLine<T> {
  readonly #clock: Clock;
  #delayMs: number;
  readonly #deliver: (item: T) => void;
  #queue: Pending<T>[] = [];
  #head = 0;
  #cancel: (() => void) | undefined;
  #closed = false;

  constructor(clock: Clock, delayMs: number, deliver: (item: T) => void) {
    this.#clock = clock;
    this.#delayMs = Math.max(0, delayMs);
    this.#deliver = deliver;
  }

  /** Items waiting to come out. */
  get size(): number {
    return this.#queue.length - this.#head;
  }

  push(item: T): void {
    if (this.#closed) return;
    if (this.#delayMs === 0 && this.size === 0) {
      this.#deliver(item); // nothing to wait for and nothing to overtake
      return;
    }
    this.#queue.push({ dueAt: this.#clock.monotonic() + this.#delayMs, item });
    if (!this.#cancel) this.#arm();
  }

  /**
   * Changes the delay of items pushed from now on (a latency drill). Items already waiting keep
   * their due time, and order is kept: a shorter delay never lets an item overtake.
   */
  setDelayMs(delayMs: number): void {
    this.#delayMs = Math.max(0, delayMs);
  }

  /** Drops everything waiting and stops the timer; later pushes are ignored. */
  close(): void {
    this.#closed = true;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#queue = [];
    this.#head = 0;
  }

  #arm(): void {
    const next = this.#queue[this.#head];
    if (!next) return;
    if (this.#clock === systemClock) {
      this.#cancel = preciseTimeout(() => this.#fire(), next.dueAt);
      return;
    }
    const wait = Math.max(0, Math.ceil(next.dueAt - this.#clock.monotonic()));
    this.#cancel = this.#clock.setTimeout(() => this.#fire(), wait);
  }

  #fire(): void {
    this.#cancel = undefined;
    const now = this.#clock.monotonic();
    for (;;) {
      if (this.#closed) return;
      const next = this.#queue[this.#head];
      if (!next || next.dueAt > now) break;
      this.#head += 1;
      this.#deliver(next.item);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    if (!this.#closed) this.#arm();
  }
}
