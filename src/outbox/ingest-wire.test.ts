import { describe, expect, it } from 'vitest';
import { encodeIngestBatch, parseIngestAck, parseIngestBatch } from './ingest-wire.js';

describe('encodeIngestBatch / parseIngestBatch', () => {
  it('round-trips events, splicing payload JSON as is', () => {
    const body = encodeIngestBatch('eu-west-2', [
      { key: 'k1', topic: 'clicks', enqueuedAtMs: 5, payloadJson: '{"link":"a","n":[1,2]}' },
      { key: 'k2', topic: 'clicks', enqueuedAtMs: 6, payloadJson: '"x"' },
    ]);
    const parsed = parseIngestBatch(JSON.parse(body), 10);
    expect(parsed).toEqual({
      ok: true,
      rejected: [],
      batch: {
        region: 'eu-west-2',
        events: [
          {
            key: 'k1',
            topic: 'clicks',
            enqueuedAtMs: 5,
            payload: { link: 'a', n: [1, 2] },
            payloadJson: '{"link":"a","n":[1,2]}',
          },
          { key: 'k2', topic: 'clicks', enqueuedAtMs: 6, payload: 'x', payloadJson: '"x"' },
        ],
      },
    });
  });

  it.each([
    [null, /JSON object/],
    [[], /JSON object/],
    [{ events: [] }, /region must be a string/],
    [{ region: 'r', events: {} }, /events must be an array/],
    [{ region: 'r', events: [1] }, /events\[0\] must be an object/],
    [{ region: 'r', events: [{ topic: 't' }] }, /events\[0\]\.key/],
    [{ region: 'r', events: [{}, {}, {}] }, /at most 2 events/],
  ])('refuses the envelope %j', (body, reason) => {
    const parsed = parseIngestBatch(body, 2);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('rejects bad events one by one and keeps the good ones', () => {
    const parsed = parseIngestBatch(
      {
        region: 'r',
        events: [
          { key: 'a', topic: 'bad topic', enqueuedAtMs: 1, payload: 1 },
          { key: 'b', topic: 't', enqueuedAtMs: -1, payload: 1 },
          { key: 'c', topic: 't', enqueuedAtMs: 1 },
          { key: 'd', topic: 't', enqueuedAtMs: 1, payload: null },
          { key: 'e', topic: 't', enqueuedAtMs: 1, payload: { s: 'nul \u0000' } },
        ],
      },
      10,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.batch.events.map((e) => e.key)).toEqual(['d']);
    expect(parsed.rejected.map((r) => r.key)).toEqual(['a', 'b', 'c', 'e']);
    expect(parsed.rejected[2]?.reason).toMatch(/payload is missing/);
    expect(parsed.rejected[3]?.reason).toMatch(/U\+0000/);
  });
});

describe('parseIngestAck', () => {
  it('accepts counts that add up to what was sent', () => {
    expect(parseIngestAck({ stored: 2, duplicates: 1, rejected: [{ key: 'k', reason: 'r' }] }, 4)).toEqual({
      ok: true,
      ack: { stored: 2, duplicates: 1, rejected: [{ key: 'k', reason: 'r' }] },
    });
  });

  it.each([
    [{ stored: 1, duplicates: 0, rejected: [] }, 2, /do not add up/],
    [{ stored: '1', duplicates: 0, rejected: [] }, 1, /must be/],
    [{ stored: 0, duplicates: 0, rejected: [{ key: 1 }] }, 1, /entries/],
    ['ok', 1, /not an object/],
  ])('refuses %j for %i events', (body, sent, reason) => {
    const parsed = parseIngestAck(body, sent);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
