// The payload of crash-test event i, derived from i so content can be checked at home.

export function crashPayload(i: number): unknown {
  return { i, text: `event ${i} ${'é'.repeat(i % 7)}${'x'.repeat(i % 50)}` };
}
