/**
 * Alipay's `timestamp` parameter is `yyyy-MM-dd HH:mm:ss` in Beijing time
 * (UTC+8, no daylight saving). alipay-sdk formats it in the process time zone,
 * which is UTC on Vercel, so callers pass this value instead.
 */
const beijing_offset_ms = 8 * 60 * 60 * 1000;

export function beijingTimestamp(at: Date = new Date()): string {
  return new Date(at.getTime() + beijing_offset_ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant a Beijing-time `yyyy-MM-dd HH:mm:ss` names, or undefined when malformed. */
export function parseBeijingTimestamp(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+08:00`);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
