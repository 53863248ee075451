import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';

/**
 * The sandbox's time. Bills are ready only the next morning, so a test that
 * reconciles a day moves the API's clock and this one together
 * (`POST /sandbox/clock {at}`; `{at: null}` goes back to real time). Every
 * signed answer, timestamp check, trade time and bill uses it.
 */
export class SandboxClock {
  #offsetMs = 0;
  readonly now = (): number => Date.now() + this.#offsetMs;
  set(at: Date | null): void {
    this.#offsetMs = at === null ? 0 : at.getTime() - Date.now();
  }
}

const clockSchema = z.strictObject({ at: z.iso.datetime({ offset: true }).nullable() });

export function clockRoutes(clock: SandboxClock): Hono {
  const app = new Hono();
  app.get('/sandbox/clock', (c) => c.json({ now: new Date(clock.now()).toISOString() }));
  app.post('/sandbox/clock', bodyLimit({ maxSize: 1024 }), async (c) => {
    const parsed = clockSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    clock.set(parsed.data.at === null ? null : new Date(parsed.data.at));
    return c.json({ now: new Date(clock.now()).toISOString() });
  });
  return app;
}
