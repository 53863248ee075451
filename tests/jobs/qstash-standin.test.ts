import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Client, Receiver } from '@upstash/qstash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQstashStandin, type StartedStandin } from '../../tools/qstash/server';
import { standinKeys } from '../../tools/qstash/keys';
import { signDelivery } from '../../tools/qstash/signature';

/**
 * The QStash stand-in, driven by the real `@upstash/qstash` Client and checked
 * by the real Receiver: publish, deduplication, signed deliveries with the
 * forwarded headers, retries with backoff and then the dead-letter list, delay,
 * and the bound on deliveries in flight.
 */

interface Arrival {
  path: string;
  body: string;
  retried: number;
  messageId: string;
  verified: boolean;
  headers: Record<string, string>;
  at: number;
}

describe('the QStash stand-in', () => {
  const keys = standinKeys();
  const receiver = new Receiver({ currentSigningKey: keys.currentSigningKey, nextSigningKey: keys.nextSigningKey });
  let standin: StartedStandin;
  let client: Client;
  let base: string;
  let server: ReturnType<typeof serve>;
  const arrivals: Arrival[] = [];
  /** How the destination answers each path: a status, after an optional wait. */
  const answers = new Map<string, { status: number; waitMs?: number }>();
  let inFlight = 0;
  let inFlightMax = 0;

  beforeAll(async () => {
    standin = await startQstashStandin({ keys, backoffMs: (n) => 20 * n, parallelism: 3 });
    client = new Client({ baseUrl: standin.url, token: keys.token, devMode: false, retry: false, enableTelemetry: false });
    await new Promise<void>((resolve) => {
      server = serve(
        {
          hostname: '127.0.0.1',
          port: 0,
          fetch: async (req) => {
            inFlight++;
            inFlightMax = Math.max(inFlightMax, inFlight);
            try {
              const body = await req.text();
              const url = new URL(req.url);
              const verified = await receiver.verify({ signature: req.headers.get('upstash-signature') ?? '', body, url: req.url }).catch(() => false);
              arrivals.push({ path: url.pathname, body, retried: Number(req.headers.get('upstash-retried')), messageId: req.headers.get('upstash-message-id') ?? '', verified, headers: Object.fromEntries(req.headers), at: Date.now() });
              const answer = answers.get(url.pathname) ?? { status: 200 };
              if (answer.waitMs) await new Promise((r) => setTimeout(r, answer.waitMs));
              return new Response('answer', { status: answer.status });
            } finally {
              inFlight--;
            }
          },
        },
        (info: AddressInfo) => {
          base = `http://127.0.0.1:${info.port}`;
          resolve();
        },
      );
    });
  });
  afterAll(async () => {
    await standin?.stop();
    server?.close();
  });

  const at = (path: string) => arrivals.filter((a) => a.path === path);

  it('refuses a publish without the token', async () => {
    const wrong = new Client({ baseUrl: standin.url, token: 'not-the-token', devMode: false, retry: false, enableTelemetry: false });
    await expect(wrong.publishJSON({ url: `${base}/never`, body: {} })).rejects.toThrow();
    await standin.queue.idle();
    expect(at('/never')).toEqual([]);
  });

  it('publishes and delivers once, signed so the real Receiver accepts it, with forwarded headers and the raw body', async () => {
    const res = await client.publishJSON({ url: `${base}/one?x=1`, body: { hello: '世界' }, headers: { 'X-Shop': 'demo' } });
    expect(res.messageId).toMatch(/^msg_/);
    await standin.queue.idle();
    const got = at('/one');
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ body: JSON.stringify({ hello: '世界' }), retried: 0, messageId: res.messageId, verified: true });
    expect(got[0]!.headers['x-shop']).toBe('demo');
    expect(got[0]!.headers['content-type']).toBe('application/json');
    expect(got[0]!.headers['user-agent']).toBe('Upstash-QStash');
    // The signature is over these bytes and this destination only.
    const signature = got[0]!.headers['upstash-signature']!;
    await expect(receiver.verify({ signature, body: got[0]!.body + ' ', url: `${base}/one?x=1` })).rejects.toThrow(/body hash/);
    await expect(receiver.verify({ signature, body: got[0]!.body, url: `${base}/other` })).rejects.toThrow(/subject/);
    await expect(new Receiver({ currentSigningKey: 'sig_wrong', nextSigningKey: 'sig_wrong_too' }).verify({ signature, body: got[0]!.body })).rejects.toThrow();
  });

  it('the Receiver also accepts the next key, as during a key rotation', async () => {
    const signature = signDelivery(keys.nextSigningKey, `${base}/rotated`, 'body');
    await expect(receiver.verify({ signature, body: 'body', url: `${base}/rotated` })).resolves.toBe(true);
  });

  it('a repeated deduplication id is acknowledged with the first message and not delivered again', async () => {
    const first = await client.publishJSON({ url: `${base}/dedup`, body: { n: 1 }, deduplicationId: 'payments.m1.20261206T1024' });
    const second = await client.publishJSON({ url: `${base}/dedup`, body: { n: 2 }, deduplicationId: 'payments.m1.20261206T1024' });
    const other = await client.publishJSON({ url: `${base}/dedup`, body: { n: 3 }, deduplicationId: 'payments.m1.20261206T1026' });
    expect((first as { deduplicated?: boolean }).deduplicated).toBeUndefined();
    expect(second).toMatchObject({ messageId: first.messageId, deduplicated: true });
    expect(other.messageId).not.toBe(first.messageId);
    await standin.queue.idle();
    expect(at('/dedup').map((a) => JSON.parse(a.body).n).sort()).toEqual([1, 3]);
  });

  it('retries a failing destination with backoff, then lists the message in the dead-letter list', async () => {
    answers.set('/fails', { status: 500 });
    const res = await client.publishJSON({ url: `${base}/fails`, body: { job: 'x' }, retries: 2 });
    await standin.queue.idle();
    const tries = at('/fails');
    expect(tries.map((a) => a.retried)).toEqual([0, 1, 2]);
    expect(tries.every((a) => a.verified && a.messageId === res.messageId)).toBe(true);
    // The backoff grows: 20 ms after the first failure, 40 ms after the second.
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(15);
    expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(35);
    const dlq = await client.dlq.listMessages();
    const dead = dlq.messages.filter((m) => m.messageId === res.messageId);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ url: `${base}/fails`, responseStatus: 500, responseBody: 'answer', maxRetries: 2 });
    await client.dlq.delete(dead[0]!.dlqId);
    expect((await client.dlq.listMessages()).messages.filter((m) => m.messageId === res.messageId)).toEqual([]);
  });

  it('a destination that recovers is not dead-lettered, and the failure callback fires only for a dead one', async () => {
    answers.set('/flaky', { status: 503 });
    const res = await client.publishJSON({ url: `${base}/flaky`, body: {}, retries: 3 });
    // Recover after the second attempt.
    while (at('/flaky').length < 2) await new Promise((r) => setTimeout(r, 5));
    answers.set('/flaky', { status: 200 });
    await standin.queue.idle();
    expect(at('/flaky').length).toBeGreaterThanOrEqual(3);
    expect((await client.dlq.listMessages()).messages.some((m) => m.messageId === res.messageId)).toBe(false);

    answers.set('/dead', { status: 400 });
    const dead = await client.publishJSON({ url: `${base}/dead`, body: { a: 1 }, retries: 0, failureCallback: `${base}/failed` });
    await standin.queue.idle();
    const callback = at('/failed');
    expect(callback).toHaveLength(1);
    expect(callback[0]!.verified).toBe(true);
    expect(JSON.parse(callback[0]!.body)).toMatchObject({ status: 400, sourceMessageId: dead.messageId, url: `${base}/dead`, sourceBody: Buffer.from('{"a":1}').toString('base64') });
  });

  it('holds a delayed message until its time', async () => {
    const published = Date.now();
    await client.publishJSON({ url: `${base}/later`, body: {}, delay: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(at('/later')).toEqual([]);
    await standin.queue.idle();
    expect(at('/later')).toHaveLength(1);
    expect(at('/later')[0]!.at - published).toBeGreaterThanOrEqual(950);
  });

  it('keeps at most the configured number of deliveries in flight', async () => {
    answers.set('/slow', { status: 200, waitMs: 60 });
    inFlightMax = 0;
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.publishJSON({ url: `${base}/slow`, body: { i } })));
    await standin.queue.idle();
    expect(at('/slow')).toHaveLength(10);
    expect(inFlightMax).toBe(3);
  });

  it('refuses a bad delay, a destination that is not a URL, and retries above the cap', async () => {
    const raw = (path: string, headers: Record<string, string>) => fetch(`${standin.url}/v2/publish/${path}`, { method: 'POST', headers: { authorization: `Bearer ${keys.token}`, ...headers }, body: '{}' });
    expect((await raw(`${base}/x`, { 'Upstash-Delay': 'soon' })).status).toBe(400);
    expect((await raw('not-a-url', {})).status).toBe(400);
    expect((await raw(`${base}/x`, { 'Upstash-Retries': '99' })).status).toBe(400);
    await standin.queue.idle();
    expect(at('/x')).toEqual([]);
  });
});
