/**
 * Moving-average unit cost, in integer fen. Quotients are rounded half up
 * (a remainder of exactly one half goes up), computed in BigInt so no
 * product of quantity and cost can lose precision.
 *
 * Stock on hand below zero (sold offline before it arrived) carries no value,
 * so it counts as zero: goods received then cost what they were bought at.
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) throw new RangeError('numerator must not be negative');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The average after receiving `qtyIn` units at `unitCostFen`: (base × avg + qty × cost) / (base + qty). */
export function averageAfterReceipt(onHandBefore: number, avgBeforeFen: number, qtyIn: number, unitCostFen: number): number {
  if (qtyIn <= 0) throw new RangeError('qtyIn must be positive');
  const base = BigInt(Math.max(onHandBefore, 0));
  if (base === 0n) return unitCostFen;
  return Number(roundHalfUp(base * BigInt(avgBeforeFen) + BigInt(qtyIn) * BigInt(unitCostFen), base + BigInt(qtyIn)));
}

/**
 * The average after sending `qtyOut` units back at the price they were
 * bought for: the returned value leaves the pool, (base × avg − qty × cost) /
 * (base − qty). When nothing is left the last average stays, and a pool
 * whose value would go below zero is worth zero.
 */
export function averageAfterReturn(onHandBefore: number, avgBeforeFen: number, qtyOut: number, unitCostFen: number): number {
  if (qtyOut <= 0) throw new RangeError('qtyOut must be positive');
  const base = BigInt(Math.max(onHandBefore, 0));
  const remaining = base - BigInt(qtyOut);
  if (remaining <= 0n) return avgBeforeFen;
  const value = base * BigInt(avgBeforeFen) - BigInt(qtyOut) * BigInt(unitCostFen);
  if (value <= 0n) return 0;
  return Number(roundHalfUp(value, remaining));
}
