import { randomBytes } from 'node:crypto';
import { signDelivery } from './signature';

/** How the stand-in delivers; tests shorten the backoff, the bench sets the parallelism. */
export interface DeliveryOptions {
  currentSigningKey: string;
  /** Deliveries in flight at once, over every destination. */
  parallelism: number;
  /** The wait after the n-th failed attempt (n from 1), before the next. */
  backoffMs(retried: number): number;
  /** Retries when the publisher names none (QStash's default is 3). */
  defaultRetries: number;
  /** The longest a destination may take to answer one attempt, unless `Upstash-Timeout` says less. */
  attemptTimeoutMs: number;
  /** How long a deduplication id is remembered (QStash: 90 days). */
  dedupWindowMs: number;
  now(): number;
}

export interface QueuedMessage {
  messageId: string;
  url: string;
  method: string;
  header: Record<string, string[]>;
  body: string;
  maxRetries: number;
  notBefore: number;
  createdAt: number;
  retried: number;
  timeoutMs: number;
  failureCallback?: string;
  deduplicationId?: string;
}

/** A message that exhausted its retries, in the shape `client.dlq.listMessages()` reads. */
export interface DlqMessage extends Omit<QueuedMessage, 'retried' | 'timeoutMs' | 'failureCallback'> {
  dlqId: string;
  responseStatus: number;
  responseHeader: Record<string, string[]>;
  responseBody: string;
}

/** One attempt as the stand-in saw it, for tests that count deliveries. */
export interface DeliveryRecord {
  messageId: string;
  url: string;
  retried: number;
  status: number;
  ms: number;
}

/** Records of attempts kept for inspection; older ones are dropped. */
export const qstash_delivery_log_max = 100_000;

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/**
 * The stand-in's queue: messages wait for their time, are delivered with a
 * signature by at most `parallelism` workers, are retried with backoff on any
 * answer but 2xx (or no answer), and land in the dead-letter list when their
 * retries are spent. Delivery is at least once, as with QStash.
 */
export class StandinQueue {
  private readonly waiting: QueuedMessage[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly dedup = new Map<string, { messageId: string; at: number }>();
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight = 0;
  private scheduled = 0;
  private closed = false;
  readonly dlq: DlqMessage[] = [];
  readonly deliveries: DeliveryRecord[] = [];

  constructor(private readonly options: DeliveryOptions) {}

  /** A new message, or the one already holding this deduplication id within the window. */
  publish(input: Omit<QueuedMessage, 'messageId' | 'createdAt' | 'retried'>): { messageId: string; deduplicated: boolean } {
    const now = this.options.now();
    if (input.deduplicationId !== undefined) {
      const seen = this.dedup.get(input.deduplicationId);
      if (seen && now - seen.at < this.options.dedupWindowMs) return { messageId: seen.messageId, deduplicated: true };
    }
    const message: QueuedMessage = { ...input, messageId: newId('msg'), createdAt: now, retried: 0 };
    if (input.deduplicationId !== undefined) this.dedup.set(input.deduplicationId, { messageId: message.messageId, at: now });
    this.schedule(message, Math.max(0, message.notBefore - now));
    return { messageId: message.messageId, deduplicated: false };
  }

  /** Resolves when nothing waits, is delayed or is in flight. */
  idle(): Promise<void> {
    if (this.busy() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  busy(): number {
    return this.waiting.length + this.inFlight + this.scheduled;
  }

  deleteDlq(dlqId: string): boolean {
    const i = this.dlq.findIndex((m) => m.dlqId === dlqId);
    if (i < 0) return false;
    this.dlq.splice(i, 1);
    return true;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(message: QueuedMessage, afterMs: number): void {
    if (this.closed) return;
    if (afterMs <= 0) {
      this.waiting.push(message);
      this.pump();
      return;
    }
    this.scheduled++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.scheduled--;
      this.waiting.push(message);
      this.pump();
    }, afterMs);
    this.timers.add(timer);
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.options.parallelism && this.waiting.length > 0) {
      const message = this.waiting.shift()!;
      this.inFlight++;
      void this.attempt(message).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.busy() === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async attempt(message: QueuedMessage): Promise<void> {
    const started = performance.now();
    const headers = new Headers();
    for (const [name, values] of Object.entries(message.header)) for (const v of values) headers.append(name, v);
    headers.set('User-Agent', 'Upstash-QStash');
    headers.set('Upstash-Message-Id', message.messageId);
    headers.set('Upstash-Retried', String(message.retried));
    headers.set('Upstash-Signature', signDelivery(this.options.currentSigningKey, message.url, message.body, this.options.now()));
    let status = 0;
    let responseHeader: Record<string, string[]> = {};
    let responseBody: string;
    try {
      const res = await fetch(message.url, {
        method: message.method,
        headers,
        ...(message.method === 'GET' || message.method === 'HEAD' ? {} : { body: message.body }),
        signal: AbortSignal.timeout(message.timeoutMs),
      });
      status = res.status;
      responseBody = await res.text();
      responseHeader = Object.fromEntries([...res.headers].map(([k, v]) => [k, [v]]));
    } catch (e) {
      responseBody = e instanceof Error ? e.message : String(e);
    }
    this.deliveries.push({ messageId: message.messageId, url: message.url, retried: message.retried, status, ms: performance.now() - started });
    if (this.deliveries.length > qstash_delivery_log_max) this.deliveries.splice(0, this.deliveries.length - qstash_delivery_log_max);
    if (status >= 200 && status < 300) return;
    if (message.retried < message.maxRetries) {
      const next = { ...message, retried: message.retried + 1 };
      this.schedule(next, this.options.backoffMs(next.retried));
      return;
    }
    const { retried: _r, timeoutMs: _t, failureCallback, ...kept } = message;
    const dead: DlqMessage = { ...kept, dlqId: newId('dlq'), responseStatus: status, responseHeader, responseBody };
    this.dlq.push(dead);
    if (failureCallback) this.callBackFailure(failureCallback, dead, message.retried);
  }

  /** QStash's failure callback: a signed POST naming the message and the last answer (bodies base64, as QStash sends them). */
  private callBackFailure(url: string, dead: DlqMessage, retried: number): void {
    const body = JSON.stringify({
      status: dead.responseStatus,
      header: dead.responseHeader,
      body: Buffer.from(dead.responseBody).toString('base64'),
      retried,
      maxRetries: dead.maxRetries,
      dlqId: dead.dlqId,
      sourceMessageId: dead.messageId,
      url: dead.url,
      method: dead.method,
      sourceHeader: dead.header,
      sourceBody: Buffer.from(dead.body).toString('base64'),
      notBefore: dead.notBefore,
      createdAt: dead.createdAt,
    });
    this.publish({ url, method: 'POST', header: { 'Content-Type': ['application/json'] }, body, maxRetries: this.options.defaultRetries, notBefore: 0, timeoutMs: this.options.attemptTimeoutMs });
  }
}
