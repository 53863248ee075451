import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';

/**
 * Outgoing platform notifications and the test's hand on them. Each channel
 * builds its signed notification and hands it here with its retry schedule
 * and its rule for an accepted reply; this module delivers, retries and logs.
 *
 * Modes (`POST /sandbox/notifications/control {mode, count?, retryScale?}`):
 * - `normal`: deliver now, retry on the channel's schedule until accepted;
 * - `drop`: never deliver (as when the platform's delivery fails for good);
 * - `repeat:N`: deliver N times in all, the extra ones after acceptance;
 * - `delay:ms`: first delivery after ms;
 * - `reorder`: hold notifications; the next control request releases the
 *   held ones newest first.
 * With `count` the mode covers that many notifications, then `normal` resumes.
 * `retryScale` multiplies every retry delay (e.g. 0.001 turns Alipay's 4
 * minutes into 240 ms) so tests can watch the whole retry pattern.
 */

export type NotifyMode = { kind: 'normal' } | { kind: 'drop' } | { kind: 'repeat'; times: number } | { kind: 'delay'; ms: number } | { kind: 'reorder' };

export interface Outgoing {
  channel: 'wechat' | 'alipay';
  /** The platform's own id for the notification (Alipay notify_id, WeChat id): repeated deliveries share it. */
  id: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Delays between attempts, unscaled, e.g. Alipay 4m, 10m, 10m, 1h, 2h, 6h, 15h. */
  retryDelaysMs: number[];
  accepted(status: number, body: string): boolean;
}

export interface Delivery {
  channel: Outgoing['channel'];
  id: string;
  url: string;
  attempt: number;
  at: string;
  status: number | null;
  reply: string;
  accepted: boolean;
  body: string;
}

export const notify_attempt_timeout_ms = 5_000;
export const notify_deliveries_kept_max = 1_000;
export const notify_repeat_max = 20;
export const notify_delay_ms_max = 10 * 60 * 1000;
export const notify_held_max = 100;

export function parseNotifyMode(text: string): NotifyMode | undefined {
  if (text === 'normal' || text === 'drop' || text === 'reorder') return { kind: text };
  const repeat = /^repeat:(\d{1,3})$/.exec(text);
  if (repeat) {
    const times = Number(repeat[1]);
    return times >= 1 && times <= notify_repeat_max ? { kind: 'repeat', times } : undefined;
  }
  const delay = /^delay:(\d{1,9})$/.exec(text);
  if (delay) {
    const ms = Number(delay[1]);
    return ms <= notify_delay_ms_max ? { kind: 'delay', ms } : undefined;
  }
  return undefined;
}

export class NotifyControl {
  #mode: NotifyMode = { kind: 'normal' };
  #remaining: number | undefined;
  #retryScale = 1;
  #held: Outgoing[] = [];
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;
  readonly deliveries: Delivery[] = [];
  readonly dropped: Outgoing[] = [];

  get mode(): NotifyMode {
    return this.#mode;
  }

  get retryScale(): number {
    return this.#retryScale;
  }

  get heldCount(): number {
    return this.#held.length;
  }

  /** Releases anything held for `reorder` (newest first), then takes the new settings. */
  configure(settings: { mode?: NotifyMode; count?: number; retryScale?: number }): void {
    const held = this.#held.reverse();
    this.#held = [];
    void this.#releaseInTurn(held);
    if (settings.mode) {
      this.#mode = settings.mode;
      this.#remaining = settings.count;
    }
    if (settings.retryScale !== undefined) this.#retryScale = settings.retryScale;
  }

  send(outgoing: Outgoing): void {
    if (this.#closed) return;
    const mode = this.#mode;
    if (this.#remaining !== undefined && --this.#remaining <= 0) {
      this.#mode = { kind: 'normal' };
      this.#remaining = undefined;
    }
    switch (mode.kind) {
      case 'drop':
        this.dropped.push(outgoing);
        return;
      case 'reorder':
        if (this.#held.length < notify_held_max) this.#held.push(outgoing);
        return;
      case 'delay':
        this.#later(mode.ms, () => void this.#attempt(outgoing, 1, 1));
        return;
      case 'repeat':
        void this.#attempt(outgoing, 1, mode.times);
        return;
      case 'normal':
        void this.#attempt(outgoing, 1, 1);
    }
  }

  /** Stops every pending retry; for shutting the sandbox down. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #later(ms: number, run: () => void): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) run();
    }, ms);
    this.#timers.add(timer);
  }

  /** Each held notification's first attempt ends before the next one starts, so the receiver sees them in this order. */
  async #releaseInTurn(held: Outgoing[]): Promise<void> {
    for (const outgoing of held) await this.#attempt(outgoing, 1, 1);
  }

  /** One delivery attempt; on refusal the next comes after the schedule's delay; after acceptance `copies - 1` more are sent. */
  #attempt(outgoing: Outgoing, attempt: number, copies: number): Promise<void> {
    return this.#post(outgoing).then(({ status, reply }) => {
      const accepted = status !== null && outgoing.accepted(status, reply);
      this.#log({ channel: outgoing.channel, id: outgoing.id, url: outgoing.url, attempt, at: new Date().toISOString(), status, reply, accepted, body: outgoing.body });
      if (accepted) {
        if (copies > 1) void this.#attempt(outgoing, attempt + 1, copies - 1);
        return;
      }
      const delay = outgoing.retryDelaysMs[attempt - 1];
      if (delay !== undefined) this.#later(delay * this.#retryScale, () => void this.#attempt(outgoing, attempt + 1, copies));
    });
  }

  async #post(outgoing: Outgoing): Promise<{ status: number | null; reply: string }> {
    try {
      const response = await fetch(outgoing.url, {
        method: 'POST',
        headers: outgoing.headers,
        body: outgoing.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(notify_attempt_timeout_ms),
      });
      return { status: response.status, reply: await response.text() };
    } catch (e) {
      return { status: null, reply: e instanceof Error ? e.message : String(e) };
    }
  }

  #log(delivery: Delivery): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > notify_deliveries_kept_max) this.deliveries.shift();
  }
}

const controlSchema = z.object({
  mode: z.string().optional(),
  count: z.number().int().min(1).max(1000).optional(),
  retryScale: z.number().min(0).max(1).optional(),
});

export const notify_control_body_bytes_max = 4 * 1024;

export function notifyControlRoutes(control: NotifyControl): Hono {
  const app = new Hono();
  app.post('/sandbox/notifications/control', bodyLimit({ maxSize: notify_control_body_bytes_max }), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body must be JSON' }, 400);
    }
    const parsed = controlSchema.safeParse(body);
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const mode = parsed.data.mode === undefined ? undefined : parseNotifyMode(parsed.data.mode);
    if (parsed.data.mode !== undefined && !mode) {
      return c.json({ error: `mode must be normal, drop, reorder, repeat:N (1–${notify_repeat_max}) or delay:ms (≤ ${notify_delay_ms_max})` }, 400);
    }
    control.configure({ ...(mode ? { mode } : {}), ...(parsed.data.count !== undefined ? { count: parsed.data.count } : {}), ...(parsed.data.retryScale !== undefined ? { retryScale: parsed.data.retryScale } : {}) });
    return c.json({ mode: control.mode, retryScale: control.retryScale });
  });
  app.get('/sandbox/notifications', (c) =>
    c.json({ mode: control.mode, retryScale: control.retryScale, held: control.heldCount, dropped: control.dropped.length, deliveries: control.deliveries }),
  );
  return app;
}
