import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';

/**
 * How the sandbox sends its notifications, shared by every platform's side:
 * `normal` (each once, with the platform's retries), `drop` (never),
 * `repeat:N` (each delivered N times), `delay:ms` (first attempt late),
 * `reorder` (each held until the next one, which goes first). Set with
 * `POST /sandbox/notifications/control {mode}`.
 */

export const notify_repeat_max = 20;
export const notify_delay_max_ms = 10 * 60 * 1000;
/** In `reorder`, the held notification follows the newer one after this gap, so the order on arrival is certain. */
export const notify_reorder_gap_ms = 50;
const control_body_bytes_max = 1024;

export type NotifyMode = { kind: 'normal' } | { kind: 'drop' } | { kind: 'repeat'; times: number } | { kind: 'delay'; ms: number } | { kind: 'reorder' };

export function parseNotifyMode(text: string): NotifyMode | undefined {
  if (text === 'normal' || text === 'drop' || text === 'reorder') return { kind: text };
  const match = /^(repeat|delay):(\d{1,9})$/.exec(text);
  if (!match) return undefined;
  const n = Number(match[2]);
  if (match[1] === 'repeat') return n >= 1 && n <= notify_repeat_max ? { kind: 'repeat', times: n } : undefined;
  return n <= notify_delay_max_ms ? { kind: 'delay', ms: n } : undefined;
}

export function formatNotifyMode(mode: NotifyMode): string {
  if (mode.kind === 'repeat') return `repeat:${mode.times}`;
  if (mode.kind === 'delay') return `delay:${mode.ms}`;
  return mode.kind;
}

export class NotifyControl {
  private current: NotifyMode = { kind: 'normal' };
  private held: (() => void)[] = [];
  dropped = 0;

  get mode(): NotifyMode {
    return this.current;
  }

  /** Leaving `reorder` sends what it still holds, oldest first. */
  set(mode: NotifyMode): void {
    this.current = mode;
    if (mode.kind !== 'reorder') this.flush();
  }

  /** Hands one notification's delivery (which does its own retries) to the mode. */
  dispatch(deliver: () => void): void {
    const mode = this.current;
    switch (mode.kind) {
      case 'normal':
        deliver();
        return;
      case 'drop':
        this.dropped += 1;
        return;
      case 'repeat':
        for (let i = 0; i < mode.times; i++) deliver();
        return;
      case 'delay':
        setTimeout(deliver, mode.ms).unref();
        return;
      case 'reorder': {
        const earlier = this.held;
        this.held = [];
        if (earlier.length === 0) {
          this.held.push(deliver);
          return;
        }
        deliver();
        setTimeout(() => {
          for (const held of earlier) held();
        }, notify_reorder_gap_ms).unref();
        return;
      }
    }
  }

  private flush(): void {
    const held = this.held;
    this.held = [];
    for (const deliver of held) deliver();
  }
}

const controlSchema = z.object({ mode: z.string() });

export function notifyControlRoutes(control: NotifyControl): Hono {
  const app = new Hono();
  app.get('/sandbox/notifications/control', (c) => c.json({ mode: formatNotifyMode(control.mode), dropped: control.dropped }));
  app.post('/sandbox/notifications/control', bodyLimit({ maxSize: control_body_bytes_max }), async (c) => {
    const parsed = controlSchema.safeParse(await c.req.json().catch(() => undefined));
    const mode = parsed.success ? parseNotifyMode(parsed.data.mode) : undefined;
    if (!mode) return c.json({ error: `mode must be normal, drop, reorder, repeat:1..${notify_repeat_max} or delay:0..${notify_delay_max_ms}` }, 400);
    control.set(mode);
    return c.json({ mode: formatNotifyMode(mode) });
  });
  return app;
}
