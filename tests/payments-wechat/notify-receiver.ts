import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A merchant notify_url for tests: records each POST's raw body and headers
 * and answers with the next queued status (204 when none), optionally after
 * a pause, so retries and timeouts can be provoked.
 */

export interface Received {
  body: string;
  headers: Record<string, string>;
  at: number;
}

export interface NotifyReceiver {
  url: string;
  received: Received[];
  /** Statuses for the next replies, in order. */
  replies: number[];
  /** Pause before each of the next replies, in order (ms). */
  pauses: number[];
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

function flat(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name] = value;
  return out;
}

export async function startNotifyReceiver(): Promise<NotifyReceiver> {
  const received: Received[] = [];
  const replies: number[] = [];
  const pauses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = replies.shift() ?? 204;
      const pause = pauses.shift() ?? 0;
      const answer = () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: flat(request.headers), at: Date.now() });
        response.writeHead(status).end();
      };
      if (pause > 0) setTimeout(answer, pause);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify/wechat`,
    received,
    replies,
    pauses,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} notifications, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
