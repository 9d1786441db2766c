import { describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { ShutdownStack } from './shutdown-stack.js';

describe('ShutdownStack', () => {
  it('closes in reverse order of opening, goes on past a failing close, and reports each failure', async () => {
    const stack = new ShutdownStack();
    const closed: string[] = [];
    stack.push('database', () => {
      closed.push('database');
    });
    stack.push('outbox', async () => {
      closed.push('outbox');
      throw new Error('disk gone');
    });
    stack.push('http', () => {
      closed.push('http');
    });
    expect(stack.order).toEqual(['http', 'outbox', 'database']);
    const heard: string[] = [];
    const failures = await stack.close((f) => heard.push(f.name));
    expect(closed).toEqual(['http', 'outbox', 'database']);
    expect(heard).toEqual(['outbox']);
    expect(failures.map((f) => [f.name, (f.error as Error).message])).toEqual([['outbox', 'disk gone']]);
    // Idempotent: nothing closes twice.
    expect(await stack.close()).toBe(failures);
    expect(closed).toHaveLength(3);
    expect(() => stack.push('late', () => undefined)).toThrow(/shutdown has begun/);
  });

  it('closeOrThrow names every close that failed, after trying them all', async () => {
    const stack = new ShutdownStack();
    let last = false;
    stack.push('first', () => {
      last = true;
    });
    stack.push('a', () => Promise.reject(new Error('one')));
    stack.push('b', () => {
      throw new Error('two');
    });
    const err = await stack.closeOrThrow('home').catch((e: unknown) => e);
    expect(isMeridianError(err, 'MERIDIAN_SHUTDOWN_INCOMPLETE')).toBe(true);
    expect((err as Error).message).toBe(
      'home stopped, but 2 of its resources failed to close: b (two); a (one)',
    );
    expect(last).toBe(true);
  });
});
