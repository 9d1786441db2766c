// The event used by the outbox benchmarks: a click of about 120 bytes of JSON.

export function clickPayload(i: number): unknown {
  return {
    link: `lnk-${i % 9973}`,
    partner: `p-${i % 97}`,
    country: 'ZA',
    ua: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0',
    at: 1_800_000_000_000 + i,
  };
}
