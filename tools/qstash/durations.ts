/**
 * QStash's duration headers: `Upstash-Delay` and `Upstash-Timeout` are an
 * integer and a unit (`90s`, `5m`, `2h`, `1d`). Anything else is refused
 * with a 400, as QStash does.
 */
const unit_ms: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function durationMs(text: string): number | null {
  const m = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * unit_ms[m[2]!]!;
}

/** QStash's default backoff between attempts: min(86400, e^(2.5·n)) seconds after the n-th retry. */
export function qstashBackoffMs(retried: number): number {
  return Math.min(86_400, Math.exp(2.5 * retried)) * 1000;
}
