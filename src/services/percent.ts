/** 100% in basis points: no share or commission rate is more than the whole. */
export const percent_bp_max = 10_000;

/** "20" → 2000, "12.5" → 1250, "0.01" → 1 basis point; null when it is not a percentage of 0–100 with at most two decimals. */
export function percentToBp(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp > percent_bp_max ? null : bp;
}
