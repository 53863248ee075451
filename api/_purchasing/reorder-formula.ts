export interface ReorderInput {
  /** Units sold in the window, net of units customers returned. */
  soldQty: number;
  /** Length of the sales window in days. */
  days: number;
  leadTimeDays: number;
  coverDays: number;
  /** On hand minus reserved; below zero when sold offline past zero. */
  available: number;
  /** Ordered from suppliers and not yet received. */
  onOrder: number;
}

/**
 * suggested = max(0, ⌈soldQty × (leadTimeDays + coverDays) / days⌉ − available − onOrder):
 * the daily velocity soldQty / days times the days the stock must last until a
 * new order arrives and then for the cover wanted, rounded up to whole units,
 * less what is on the shelf and what is already on its way. Integer
 * arithmetic only; the division is the last step so nothing is lost.
 */
export function suggestedReorderQty(input: ReorderInput): number {
  if (input.days <= 0) throw new RangeError('days must be positive');
  const sold = Math.max(input.soldQty, 0);
  const need = Math.ceil((sold * (input.leadTimeDays + input.coverDays)) / input.days);
  return Math.max(0, need - input.available - input.onOrder);
}
