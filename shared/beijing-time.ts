/** An ISO instant as an owner in China reads it: Beijing wall time, "2026-11-23 10:00:00" (Beijing keeps no daylight saving). */
export function beijingTimeText(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
