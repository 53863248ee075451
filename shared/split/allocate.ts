/**
 * Profit-sharing arithmetic (分账), integer fen only. A rule gives each
 * receiver either basis points of the paid amount or a fixed number of fen;
 * the parts are rounded by largest remainder so they add up exactly, and the
 * whole never exceeds the platform's cap on what may be split away.
 */

/** WeChat Pay's default cap on what may be split away from one payment: 30 %. */
export const wechat_split_cap_bp = 3000;
/** One basis point is 1/10 000 of the paid amount. */
export const split_bp_denominator = 10_000;
/** WeChat takes at most 50 receivers per split request. */
export const split_receivers_max = 50;

export type Share = { kind: 'bp'; bp: number } | { kind: 'fixed'; fen: number };

export interface Allocation {
  /** One part per share, in the rule's order; a part may be 0 (nothing sent to that receiver). */
  parts: number[];
  /** What stays with the merchant: paid minus the parts. */
  retainedFen: number;
  /** The most that could be split away from this payment under the cap. */
  capFen: number;
  /** Indexes of fixed shares cut down (or to 0) so the cap holds for this payment. */
  clipped: number[];
}

function checkShares(shares: readonly Share[]): void {
  for (const s of shares) {
    if (s.kind === 'bp' && (!Number.isSafeInteger(s.bp) || s.bp < 0 || s.bp > split_bp_denominator)) throw new RangeError(`bp ${s.bp} is not a whole number between 0 and ${split_bp_denominator}`);
    if (s.kind === 'fixed' && (!Number.isSafeInteger(s.fen) || s.fen < 0)) throw new RangeError(`fixed ${s.fen} is not a whole, non-negative number of fen`);
  }
}

/** floor(paidFen * bp / 10 000), exactly (BigInt: the product can pass 2^53). */
export function capOf(paidFen: number, capBp: number): number {
  return Number((BigInt(paidFen) * BigInt(capBp)) / BigInt(split_bp_denominator));
}

/** The sum of the basis-point shares; a rule whose sum exceeds the cap could split more than allowed and is refused when saved. */
export function bpTotal(shares: readonly Share[]): number {
  return shares.reduce((sum, s) => sum + (s.kind === 'bp' ? s.bp : 0), 0);
}

/**
 * Splits `paidFen`. Basis-point shares first: their total is
 * floor(paid × Σbp / 10 000), handed out as each share's floor plus one fen
 * to the largest remainders (earlier share wins a tie). Fixed shares then
 * take what they ask in rule order, each cut to the room left under the cap,
 * so a small payment never splits away more than the cap allows.
 */
export function allocateSplit(paidFen: number, shares: readonly Share[], capBp: number = wechat_split_cap_bp): Allocation {
  if (!Number.isSafeInteger(paidFen) || paidFen < 0) throw new RangeError(`paid ${paidFen} is not a whole, non-negative number of fen`);
  if (!Number.isSafeInteger(capBp) || capBp < 0 || capBp > split_bp_denominator) throw new RangeError(`cap ${capBp} bp is out of range`);
  checkShares(shares);
  const totalBp = bpTotal(shares);
  if (totalBp > capBp) throw new RangeError(`basis points ${totalBp} exceed the cap ${capBp}`);
  const capFen = capOf(paidFen, capBp);
  const paid = BigInt(paidFen);
  const denominator = BigInt(split_bp_denominator);

  const parts = shares.map(() => 0);
  const remainders: { index: number; rem: bigint }[] = [];
  let floors = 0;
  shares.forEach((s, index) => {
    if (s.kind !== 'bp') return;
    const exact = paid * BigInt(s.bp);
    parts[index] = Number(exact / denominator);
    floors += parts[index]!;
    remainders.push({ index, rem: exact % denominator });
  });
  let extra = capOf(paidFen, totalBp) - floors;
  remainders.sort((a, b) => (a.rem === b.rem ? a.index - b.index : a.rem > b.rem ? -1 : 1));
  for (const r of remainders) {
    if (extra <= 0) break;
    if (r.rem === 0n) break;
    parts[r.index]! += 1;
    extra -= 1;
  }

  let room = capFen - parts.reduce((a, b) => a + b, 0);
  const clipped: number[] = [];
  shares.forEach((s, index) => {
    if (s.kind !== 'fixed') return;
    const take = Math.min(s.fen, room);
    if (take < s.fen) clipped.push(index);
    parts[index] = take;
    room -= take;
  });
  const split = parts.reduce((a, b) => a + b, 0);
  return { parts, retainedFen: paidFen - split, capFen, clipped };
}
