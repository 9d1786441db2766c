// Server-sent events, both ends: one event written as a frame, and a parser the page runs over
// a fetch() body (EventSource cannot send the Authorization header a token needs).

/** One `event:`/`data:` frame; JSON data never contains a raw newline, text is split on them. */
export function formatSseEvent(event: string, data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return `event: ${event}\n${text
    .split('\n')
    .map((l) => `data: ${l}`)
    .join('\n')}\n\n`;
}

/** A comment frame: keeps the connection (and proxies) from timing out; pages ignore it. */
export const SSE_HEARTBEAT = ': heartbeat\n\n';

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Feeds text chunks (split anywhere) and yields whole events; comments are dropped. */
export class SseParser {
  #buffer = '';

  push(chunk: string): SseEvent[] {
    this.#buffer += chunk.replace(/\r\n?/g, '\n');
    const out: SseEvent[] = [];
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end < 0) break;
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) out.push({ event, data: data.join('\n') });
    }
    return out;
  }
}
