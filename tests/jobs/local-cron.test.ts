import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronMatches, vercelCrons } from '../../tools/local-cron';

/** The dev scheduler reads vercel.json's crons as Vercel does: five fields, UTC. */
describe('the local scheduler of npm run dev', () => {
  it.each([
    ['*/2 * * * *', '2026-12-06T10:24:00Z', true],
    ['*/2 * * * *', '2026-12-06T10:25:00Z', false],
    ['10 * * * *', '2026-12-06T03:10:00Z', true],
    ['10 * * * *', '2026-12-06T03:11:00Z', false],
    ['30 2 * * *', '2026-12-06T02:30:00Z', true],
    ['30 2 * * *', '2026-12-06T10:30:00Z', false],
    ['0 9-17 * * 1-5', '2026-12-07T12:00:00Z', true],
    ['0 9-17 * * 1-5', '2026-12-06T12:00:00Z', false],
    ['0,30 * * * *', '2026-12-06T12:30:00Z', true],
  ])('%s at %s: %s', (schedule, at, want) => expect(cronMatches(schedule, new Date(at))).toBe(want));

  it('reads every cron of vercel.json, each with a schedule it understands', async () => {
    const crons = await vercelCrons(path.join(import.meta.dirname, '../../vercel.json'));
    expect(crons.map((c) => c.path).sort()).toEqual(['/api/cron/expire-customer-reservations', '/api/cron/payments', '/api/cron/reconcile']);
    for (const c of crons) expect(() => cronMatches(c.schedule, new Date())).not.toThrow();
  });
});
