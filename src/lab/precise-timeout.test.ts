import { describe, expect, it } from 'vitest';
import { preciseTimeout } from './precise-timeout.js';

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('deadline passed');
    await new Promise((r) => setImmediate(r));
  }
};

describe('preciseTimeout', () => {
  it('never fires before its sub-millisecond deadline', async () => {
    const lateness: number[] = [];
    for (const delay of [0.3, 1, 1.7, 2.5, 6.25]) {
      const due = performance.now() + delay;
      let firedAt: number | undefined;
      preciseTimeout(() => {
        firedAt = performance.now();
      }, due);
      await until(() => firedAt !== undefined);
      lateness.push(firedAt! - due);
    }
    for (const l of lateness) expect(l).toBeGreaterThanOrEqual(0);
  });

  it('calls back on a later turn, never synchronously, even for a deadline in the past', async () => {
    let fired = false;
    preciseTimeout(() => {
      fired = true;
    }, performance.now() - 5);
    expect(fired).toBe(false);
    await until(() => fired);
  });

  it('does not fire once cancelled, in the timer or in the spin', async () => {
    const fired: string[] = [];
    const cancelTimer = preciseTimeout(() => fired.push('timer'), performance.now() + 5);
    const cancelSpin = preciseTimeout(() => fired.push('spin'), performance.now() + 0.5);
    cancelTimer();
    cancelSpin();
    let control = false;
    preciseTimeout(() => {
      control = true;
    }, performance.now() + 8);
    await until(() => control);
    expect(fired).toEqual([]);
  });
});
