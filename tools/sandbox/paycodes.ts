import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';

/**
 * Payment codes (付款码) for tests: `POST /sandbox/paycodes` plays the
 * customer opening the pay code in the WeChat or Alipay app, and says how the
 * platform will treat it. The prefix routes the code as the real ones do
 * (WeChat 10–15, Alipay 25–30); each channel's gateway takes a code once.
 *
 * Behaviours: `success` pays at once; `userpaying` asks for a password and
 * turns paid after `afterQueries` queries or `afterMs` milliseconds,
 * whichever comes first; `insufficient` is refused for balance; `invalid` is
 * refused as an unreadable or expired code.
 */

export type PaycodeChannel = 'wechat' | 'alipay';
export type PaycodeBehaviour = 'success' | 'userpaying' | 'insufficient' | 'invalid';

export const paycodes_max = 10_000;
export const paycode_ttl_ms = 10 * 60 * 1000;
export const userpaying_queries_default = 2;
const paycode_digits = 18;
const channel_prefixes: Record<PaycodeChannel, [number, number]> = { wechat: [10, 15], alipay: [25, 30] };

export interface Paycode {
  code: string;
  channel: PaycodeChannel;
  behaviour: PaycodeBehaviour;
  /** The payer the platform names once the code is paid (an Alipay 2088… user id or a WeChat openid). */
  payerId: string;
  afterQueries: number;
  afterMs: number | undefined;
  issuedAtMs: number;
  used: boolean;
}

export type PaycodeTake = { outcome: 'ok'; paycode: Paycode } | { outcome: 'unknown' | 'used' | 'expired' };

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

export class Paycodes {
  readonly #codes = new Map<string, Paycode>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  issue(request: { channel: PaycodeChannel; behaviour: PaycodeBehaviour; payerId?: string; afterQueries?: number; afterMs?: number }): Paycode | undefined {
    this.#forgetExpired();
    if (this.#codes.size >= paycodes_max) return undefined;
    const [low, high] = channel_prefixes[request.channel];
    let code: string;
    do code = `${randomInt(low, high + 1)}${digits(paycode_digits - 2)}`;
    while (this.#codes.has(code));
    const paycode: Paycode = {
      code,
      channel: request.channel,
      behaviour: request.behaviour,
      payerId: request.payerId ?? (request.channel === 'alipay' ? `2088${digits(12)}` : `o${digits(27)}`),
      afterQueries: request.afterQueries ?? userpaying_queries_default,
      afterMs: request.afterMs,
      issuedAtMs: this.#now(),
      used: false,
    };
    this.#codes.set(code, paycode);
    return paycode;
  }

  /** A code belongs to one channel and pays once, as on the real platforms. */
  take(channel: PaycodeChannel, code: string): PaycodeTake {
    const paycode = this.#codes.get(code);
    if (!paycode || paycode.channel !== channel) return { outcome: 'unknown' };
    if (paycode.used) return { outcome: 'used' };
    if (this.#now() - paycode.issuedAtMs >= paycode_ttl_ms) return { outcome: 'expired' };
    paycode.used = true;
    return { outcome: 'ok', paycode };
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [code, paycode] of this.#codes) if (now - paycode.issuedAtMs >= paycode_ttl_ms) this.#codes.delete(code);
  }
}

const paycodeRequestSchema = z.object({
  channel: z.enum(['wechat', 'alipay']),
  behaviour: z.enum(['success', 'userpaying', 'insufficient', 'invalid']),
  payerId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  afterQueries: z.number().int().min(0).max(100).optional(),
  afterMs: z.number().int().min(0).max(paycode_ttl_ms).optional(),
});

export const paycode_body_bytes_max = 4 * 1024;

export function paycodeRoutes(paycodes: Paycodes): Hono {
  const app = new Hono();
  app.post('/sandbox/paycodes', bodyLimit({ maxSize: paycode_body_bytes_max }), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body must be JSON' }, 400);
    }
    const parsed = paycodeRequestSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const request = parsed.data;
    if (request.channel === 'alipay' && request.payerId !== undefined && !/^2088\d{12}$/.test(request.payerId)) {
      return c.json({ error: 'an Alipay payerId is a user id: 2088 and 12 digits' }, 400);
    }
    const paycode = paycodes.issue(request);
    if (!paycode) return c.json({ error: 'too many live payment codes' }, 503);
    return c.json({ code: paycode.code, channel: paycode.channel, behaviour: paycode.behaviour, payerId: paycode.payerId }, 201);
  });
  return app;
}
