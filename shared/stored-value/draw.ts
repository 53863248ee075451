/**
 * How a payment from stored value draws on the two parts of the balance.
 *
 * Rule `proportional_bonus_rounded_down`: each payment takes principal and
 * bonus in the proportion the balance holds them, the bonus share rounded
 * down to the fen and the principal paying the rest. Proportion keeps the
 * discount a member gets (the bonus spent) equal to the plan's ratio on every
 * sale instead of front-loading or back-loading it; rounding the bonus down
 * means the liability (principal) is never drawn less than its share.
 * A payment of the whole balance draws both parts whole.
 */
export const stored_value_draw_rule = 'proportional_bonus_rounded_down';

export interface Draw {
  principalFen: number;
  bonusFen: number;
}

export function drawFrom(balance: { principalFen: number; bonusFen: number }, amountFen: number): Draw | null {
  const total = balance.principalFen + balance.bonusFen;
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0 || amountFen > total) return null;
  // Exact in bigint: fen × fen can pass 2^53 for large balances.
  const bonusFen = Number((BigInt(amountFen) * BigInt(balance.bonusFen)) / BigInt(total));
  return { principalFen: amountFen - bonusFen, bonusFen };
}

/**
 * What a return gives back to each part, counted cumulatively over the
 * order's returns so that several partial returns never give back more bonus
 * (or principal) than the sale drew: after all returns, bonus back is the
 * same rounded-down share of what has come back as the sale's bonus was of
 * what it drew.
 */
export function restoreOf(spent: Draw, restoredBefore: Draw, amountFen: number): Draw | null {
  const spentTotal = spent.principalFen + spent.bonusFen;
  const before = restoredBefore.principalFen + restoredBefore.bonusFen;
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0 || before + amountFen > spentTotal) return null;
  const bonusAfter = Number((BigInt(before + amountFen) * BigInt(spent.bonusFen)) / BigInt(spentTotal));
  const bonusFen = Math.max(0, Math.min(bonusAfter - restoredBefore.bonusFen, amountFen));
  return { principalFen: amountFen - bonusFen, bonusFen };
}
