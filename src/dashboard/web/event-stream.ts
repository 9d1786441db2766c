// The page's side of GET /v1/events: fetch() (so the token can go in a header), SSE frames
// parsed as they arrive, reconnection with a growing pause.
import { SseParser } from '../sse-frame.js';
import { adminHeaders } from './admin-fetch.js';

export type StreamStatus = 'connecting' | 'live' | 'unauthorized' | 'down';

export interface StreamHandlers {
  onEvent(event: string, data: unknown): void;
  onStatus(status: StreamStatus, detail?: string): void;
}

/** Connects now and keeps reconnecting until the returned function is called. */
export function openEventStream(path: string, h: StreamHandlers): () => void {
  let closed = false;
  let controller: AbortController | null = null;
  let pauseMs = 500;
  const run = async (): Promise<void> => {
    while (!closed) {
      controller = new AbortController();
      h.onStatus('connecting');
      try {
        const res = await fetch(path, {
          headers: { ...adminHeaders(), accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (res.status === 401) {
          h.onStatus('unauthorized', 'this server needs its admin token');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        h.onStatus('live');
        pauseMs = 500;
        const parser = new SseParser();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const e of parser.push(value)) h.onEvent(e.event, JSON.parse(e.data));
        }
        throw new Error('the stream ended');
      } catch (err) {
        if (closed) return;
        h.onStatus('down', (err as Error).message);
        await new Promise((r) => setTimeout(r, pauseMs));
        pauseMs = Math.min(pauseMs * 2, 5000);
      }
    }
  };
  void run();
  return () => {
    closed = true;
    controller?.abort();
  };
}
