import { describe, expect, it } from 'vitest';
import type { OperatorRecord } from './operator-record.js';
import {
  EMPTY_OPERATOR_STATE,
  type OperatorEntry,
  type OperatorState,
  reduceOperatorState,
} from './operator-state.js';

const change = (action: OperatorRecord['action'], target: string, atMs = 1000): OperatorRecord => ({
  action,
  target,
  who: 'ana@ops',
  atMs,
  reason: 'patching',
  forced: false,
});
const mark = { who: 'ana@ops', atMs: 1000, reason: 'patching', forced: false };
const put = (revision: number, key: string, value: unknown): OperatorEntry => ({
  key,
  revision,
  operation: 'PUT',
  value: typeof value === 'string' ? value : JSON.stringify(value),
});
const del = (revision: number, key: string): OperatorEntry => ({
  key,
  revision,
  operation: 'DEL',
  value: '',
});
const fold = (entries: OperatorEntry[]): OperatorState =>
  entries.reduce(reduceOperatorState, EMPTY_OPERATOR_STATE);

describe('reduceOperatorState', () => {
  it.each<[string, OperatorEntry[], Partial<OperatorState>]>([
    ['epoch', [put(1, 'epoch', { seconds: 1_796_000_000 })], { revision: 1, epochSeconds: 1_796_000_000 }],
    [
      'the first epoch wins',
      [put(1, 'epoch', { seconds: 5 }), put(2, 'epoch', { seconds: 1 })],
      { revision: 2, epochSeconds: 5 },
    ],
    ['world', [put(3, 'world', { hash: 'abc', change: change('world', 'abc') })], { worldHash: 'abc' }],
    [
      'drains, replaced as a whole',
      [
        put(1, 'drains', { regions: { a: mark }, change: change('drain', 'a') }),
        put(2, 'drains', { regions: { b: mark }, change: change('drain', 'b') }),
      ],
      { drains: { b: mark }, drainsRevision: 2 },
    ],
    [
      'drains deleted',
      [put(1, 'drains', { regions: { a: mark }, change: change('drain', 'a') }), del(2, 'drains')],
      { drains: {}, drainsRevision: 2 },
    ],
    [
      'rollout override, then switched off, then removed',
      [
        put(1, 'rollout.links.example.test', {
          rollout: { region: 'a', basisPoints: 500, sticky: true },
          change: change('rollout', 'links.example.test'),
        }),
      ],
      { rollouts: { 'links.example.test': { region: 'a', basisPoints: 500, sticky: true } } },
    ],
    [
      'rollout null is an override to none',
      [
        put(1, 'rollout.links.example.test', {
          rollout: null,
          change: change('rollout', 'links.example.test'),
        }),
      ],
      { rollouts: { 'links.example.test': null } },
    ],
    [
      'rollout deleted: back to the file',
      [
        put(1, 'rollout.links.example.test', {
          rollout: null,
          change: change('rollout', 'links.example.test'),
        }),
        del(2, 'rollout.links.example.test'),
      ],
      { rollouts: {} },
    ],
    [
      'bad JSON is rejected and counted',
      [put(4, 'drains', '{nope')],
      { revision: 4, rejected: 1, drains: {} },
    ],
    ['a bad shape is rejected', [put(4, 'drains', { regions: 'a' })], { rejected: 1 }],
    ['an unknown key is rejected', [put(1, 'whatever', {})], { rejected: 1 }],
  ])('%s', (_name, entries, expected) => {
    expect(fold(entries)).toMatchObject(expected);
  });

  it('ignores entries at or below its revision (a resumed watcher)', () => {
    const s = fold([put(2, 'drains', { regions: { a: mark }, change: change('drain', 'a') })]);
    expect(reduceOperatorState(s, put(1, 'drains', { regions: {}, change: change('undrain', 'a') }))).toBe(s);
    expect(reduceOperatorState(s, put(2, 'drains', { regions: {}, change: change('undrain', 'a') }))).toBe(s);
  });

  it('keeps who, when and why of every change, newest last, and is frozen', () => {
    const s = fold([
      put(1, 'drains', { regions: { a: mark }, change: change('drain', 'a', 1) }),
      put(2, 'note.1', { change: { ...change('note', 'a', 2), reason: 'vendor ticket 42' } }),
      put(3, 'drains', { regions: {}, change: change('undrain', 'a', 3) }),
    ]);
    expect(s.recent.map((r) => `${r.action} ${r.target} ${r.atMs}`)).toEqual([
      'drain a 1',
      'note a 2',
      'undrain a 3',
    ]);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.drains)).toBe(true);
  });

  it('two instances folding the same entries agree', () => {
    const entries = [
      put(1, 'epoch', { seconds: 10 }),
      put(2, 'drains', { regions: { a: mark }, change: change('drain', 'a') }),
      put(3, 'rollout.x.example.test', { rollout: null, change: change('rollout', 'x.example.test') }),
    ];
    expect(fold(entries)).toEqual(fold(entries));
  });
});
