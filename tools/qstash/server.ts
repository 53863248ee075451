import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { durationMs, qstashBackoffMs } from './durations';
import { StandinQueue, type DeliveryOptions } from './queue';

/**
 * A local stand-in for Upstash QStash, for dev, tests and the bench (the
 * official dev server downloads a binary at install, which this machine
 * cannot). It speaks the part of QStash's API that `@upstash/qstash`'s
 * `Client.publish`/`publishJSON` and `client.dlq` use — `POST
 * /v2/publish/<destination>`, `GET /v2/dlq`, `DELETE /v2/dlq/<id>` — with the
 * same headers and answers, and delivers each message to its destination
 * signed with the current signing key, as QStash does.
 */

/** QStash refuses bodies above its plan's message size; the free plan's 1 MB is the stand-in's. */
export const qstash_message_bytes_max = 1024 * 1024;
/** Retries a publisher may ask for (QStash caps them by plan; the paid plans' 5). */
export const qstash_retries_max = 5;
export const qstash_retries_default = 3;
export const qstash_parallelism_default = 8;
export const qstash_attempt_timeout_ms_default = 30_000;
export const qstash_dedup_window_ms = 90 * 86_400_000;
/** A page of the dead-letter list. */
export const qstash_dlq_page_max = 100;

export interface StandinKeys {
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
}

export interface StandinOptions extends Partial<Omit<DeliveryOptions, 'currentSigningKey'>> {
  keys: StandinKeys;
  port?: number;
}

export function standinApp(keys: StandinKeys, queue: StandinQueue, options: { defaultRetries: number; attemptTimeoutMs: number; now(): number }): Hono {
  const app = new Hono();
  const wanted = Buffer.from(`Bearer ${keys.token}`);
  app.use('/v2/*', async (c, next) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return c.json({ error: 'Unauthorized' }, 401);
    await next();
  });

  app.post('/v2/publish/*', bodyLimit({ maxSize: qstash_message_bytes_max, onError: (c) => c.json({ error: 'message too large' }, 413) }), async (c) => {
    // The destination is appended raw, scheme and all, exactly as the SDK joins it.
    const url = new URL(c.req.url);
    const destination = url.pathname.slice('/v2/publish/'.length) + url.search;
    try {
      const target = new URL(destination);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return c.json({ error: `invalid destination url: ${destination}` }, 400);
    }
    const parsed = publishHeaders(c, options);
    if ('error' in parsed) return c.json({ error: parsed.error }, 400);
    const body = await c.req.text();
    const result = queue.publish({ url: destination, body, ...parsed });
    // A duplicate is acknowledged with the message that already holds the id, as QStash answers it.
    return c.json({ messageId: result.messageId, url: destination, ...(result.deduplicated ? { deduplicated: true } : {}) }, result.deduplicated ? 202 : 200);
  });

  app.get('/v2/dlq', (c) => {
    const start = Number(c.req.query('cursor') ?? 0) || 0;
    const count = Math.min(qstash_dlq_page_max, Number(c.req.query('count') ?? qstash_dlq_page_max) || qstash_dlq_page_max);
    const filterUrl = c.req.query('url');
    const list = filterUrl ? queue.dlq.filter((m) => m.url === filterUrl) : queue.dlq;
    const page = list.slice(start, start + count);
    return c.json({ messages: page, ...(start + count < list.length ? { cursor: String(start + count) } : {}) });
  });
  app.delete('/v2/dlq/:dlqId', (c) => (queue.deleteDlq(c.req.param('dlqId')) ? c.body(null, 200) : c.json({ error: 'dlq message not found' }, 404)));
  return app;
}

type Parsed = { method: string; header: Record<string, string[]>; maxRetries: number; notBefore: number; timeoutMs: number; deduplicationId?: string; failureCallback?: string };

/** The publish headers QStash reads; forwarded headers lose their `Upstash-Forward-` prefix. */
function publishHeaders(c: Context, options: { defaultRetries: number; attemptTimeoutMs: number; now(): number }): Parsed | { error: string } {
  const h = (name: string) => c.req.header(name)?.trim();
  const header: Record<string, string[]> = {};
  const contentType = h('content-type');
  if (contentType) header['Content-Type'] = [contentType];
  for (const [name, value] of Object.entries(c.req.header())) {
    const m = /^upstash-forward-(.+)$/i.exec(name);
    if (m) header[m[1]!] = [value];
  }
  const retriesText = h('upstash-retries');
  const maxRetries = retriesText === undefined ? options.defaultRetries : Number(retriesText);
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > qstash_retries_max) return { error: `Upstash-Retries must be an integer from 0 to ${qstash_retries_max}` };
  let notBefore = options.now();
  const notBeforeText = h('upstash-not-before');
  const delayText = h('upstash-delay');
  if (notBeforeText !== undefined) {
    if (!/^\d{1,12}$/.test(notBeforeText)) return { error: 'Upstash-Not-Before must be a unix time in seconds' };
    notBefore = Number(notBeforeText) * 1000;
  } else if (delayText !== undefined) {
    const ms = durationMs(delayText);
    if (ms === null) return { error: 'Upstash-Delay must be an integer and a unit: 10s, 5m, 2h, 1d' };
    notBefore += ms;
  }
  let timeoutMs = options.attemptTimeoutMs;
  const timeoutText = h('upstash-timeout');
  if (timeoutText !== undefined) {
    const ms = durationMs(timeoutText);
    if (ms === null) return { error: 'Upstash-Timeout must be an integer and a unit: 30s, 2m' };
    timeoutMs = Math.min(timeoutMs, ms);
  }
  const method = (h('upstash-method') ?? 'POST').toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) return { error: `Upstash-Method ${method} is not a method` };
  const deduplicationId = h('upstash-deduplication-id');
  const failureCallback = h('upstash-failure-callback');
  return { method, header, maxRetries, notBefore, timeoutMs, ...(deduplicationId ? { deduplicationId } : {}), ...(failureCallback ? { failureCallback } : {}) };
}

export interface StartedStandin {
  url: string;
  port: number;
  keys: StandinKeys;
  queue: StandinQueue;
  /** The environment the API reads to publish here and verify what arrives. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Port 0 (the default) picks a free port. */
export async function startQstashStandin(options: StandinOptions): Promise<StartedStandin> {
  const now = options.now ?? Date.now;
  const delivery: DeliveryOptions = {
    currentSigningKey: options.keys.currentSigningKey,
    parallelism: options.parallelism ?? qstash_parallelism_default,
    backoffMs: options.backoffMs ?? qstashBackoffMs,
    defaultRetries: options.defaultRetries ?? qstash_retries_default,
    attemptTimeoutMs: options.attemptTimeoutMs ?? qstash_attempt_timeout_ms_default,
    dedupWindowMs: options.dedupWindowMs ?? qstash_dedup_window_ms,
    now,
  };
  const queue = new StandinQueue(delivery);
  const app = standinApp(options.keys, queue, { defaultRetries: delivery.defaultRetries, attemptTimeoutMs: delivery.attemptTimeoutMs, now });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      server.off('error', reject);
      const url = `http://127.0.0.1:${info.port}`;
      resolve({
        url,
        port: info.port,
        keys: options.keys,
        queue,
        env: { QSTASH_URL: url, QSTASH_TOKEN: options.keys.token, QSTASH_CURRENT_SIGNING_KEY: options.keys.currentSigningKey, QSTASH_NEXT_SIGNING_KEY: options.keys.nextSigningKey },
        stop: () =>
          new Promise<void>((done, fail) => {
            queue.close();
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
