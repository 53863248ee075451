import { readFile } from 'node:fs/promises';

/**
 * Vercel's scheduler, for `npm run dev`: reads the crons of vercel.json and
 * calls each path when its schedule matches (UTC, as Vercel's are), with the
 * CRON_SECRET bearer Vercel sends. With the dev stack's QStash stand-in the
 * calls enqueue messages and the stand-in delivers them, so the same path
 * runs as in a deployment.
 */

export interface CronEntry {
  path: string;
  schedule: string;
}

/** Whether one field of a five-field cron expression (`*`, `*∕n`, `a-b`, `a,b`, a number) matches a value. */
function fieldMatches(field: string, value: number): boolean {
  return field.split(',').some((part) => {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [0, Number.MAX_SAFE_INTEGER];
    else if (range!.includes('-')) [lo, hi] = range!.split('-').map(Number) as [number, number];
    else [lo, hi] = stepText === undefined ? [Number(range), Number(range)] : [Number(range), Number.MAX_SAFE_INTEGER];
    return value >= lo && value <= hi && (value - (range === '*' ? 0 : lo)) % step === 0;
  });
}

export function cronMatches(schedule: string, at: Date): boolean {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron schedule "${schedule}" does not have five fields`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  return (
    fieldMatches(minute, at.getUTCMinutes()) && fieldMatches(hour, at.getUTCHours()) && fieldMatches(dom, at.getUTCDate()) && fieldMatches(month, at.getUTCMonth() + 1) && fieldMatches(dow, at.getUTCDay())
  );
}

export async function vercelCrons(file: string): Promise<CronEntry[]> {
  const config = JSON.parse(await readFile(file, 'utf8')) as { crons?: CronEntry[] };
  return config.crons ?? [];
}

/** Checks every minute, on the minute; returns a stop function. */
export function startLocalCron(options: { apiUrl: string; cronSecret: string; crons: CronEntry[]; log?: (line: string) => void }): () => void {
  let timer: NodeJS.Timeout | undefined;
  let lastMinute = -1;
  const fire = () => {
    const now = new Date();
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== lastMinute) {
      lastMinute = minute;
      for (const c of options.crons) {
        if (!cronMatches(c.schedule, now)) continue;
        void fetch(options.apiUrl + c.path, { headers: { authorization: `Bearer ${options.cronSecret}` } })
          .then(async (res) => {
            // A tick that worked says nothing; one that did not is worth a line in the dev console.
            if (!res.ok) options.log?.(`cron ${c.path} → ${res.status} ${(await res.text()).slice(0, 200)}`);
          })
          .catch((e: unknown) => options.log?.(`cron ${c.path} failed: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
    timer = setTimeout(fire, 60_000 - (Date.now() % 60_000) + 50);
  };
  timer = setTimeout(fire, 60_000 - (Date.now() % 60_000) + 50);
  return () => clearTimeout(timer);
}
