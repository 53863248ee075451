import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotificationRejected, type ChannelNotification, type PaymentChannel } from '../../api/_payments/channel';

/**
 * A notify_url for tests: hands each raw body to the channel's
 * `parseNotification` and answers with its `notificationReply`, as the
 * core's route will. `answers` can script refusals (`fail`) or odd replies
 * for the next deliveries.
 */
export interface Receiver {
  url: string;
  received: ChannelNotification[];
  rejected: string[];
  /** Replies to use before the channel's own, one per delivery: 'fail' refuses, any other string is sent as is with 200. */
  answers: string[];
  /** Resolves once `count` notifications were accepted in all. */
  waitFor(count: number, timeoutMs?: number): Promise<ChannelNotification[]>;
  /** Resolves with the first accepted notification that `match` picks. */
  waitForMatch(match: (notification: ChannelNotification) => boolean, timeoutMs?: number): Promise<ChannelNotification>;
  close(): Promise<void>;
}

export async function startReceiver(channel: () => PaymentChannel): Promise<Receiver> {
  const received: ChannelNotification[] = [];
  const rejected: string[] = [];
  const answers: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      let ok: boolean;
      try {
        const notification = channel().parseNotification(raw, headers, new Date());
        ok = true;
        const scripted = answers.shift();
        if (scripted !== undefined) {
          response.writeHead(scripted === 'fail' ? 500 : 200, { 'Content-Type': 'text/plain' }).end(scripted);
          return;
        }
        received.push(notification);
      } catch (e) {
        rejected.push(e instanceof NotificationRejected ? e.reason : String(e));
        ok = false;
      }
      const reply = channel().notificationReply(ok);
      response.writeHead(reply.status, { 'Content-Type': reply.contentType }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/notify/alipay`,
    received,
    rejected,
    answers,
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} notifications, got ${received.length} (rejected: ${rejected.join(', ') || 'none'})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    async waitForMatch(match, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching notification among ${received.length} (rejected: ${rejected.join(', ') || 'none'})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
