import type { Fen } from '../money.js';

/**
 * The drawer's arithmetic, shared by the counter (which shows the count as
 * the assistant types it) and the server (which records it). Pure.
 */

/** Renminbi notes and coins a drawer holds, largest first: ¥100, 50, 20, 10, 5, 1, 5 角, 1 角. */
export const denominations_fen = [10000, 5000, 2000, 1000, 500, 100, 50, 10] as const;
export type DenominationFen = (typeof denominations_fen)[number];

export const denomination_labels: Record<DenominationFen, string> = {
  10000: '100元',
  5000: '50元',
  2000: '20元',
  1000: '10元',
  500: '5元',
  100: '1元',
  50: '5角',
  10: '1角',
};

/** A drawer holds no more than this many of one note or coin; more is a typing slip. */
export const denomination_count_max = 10_000;

export interface DenominationCount {
  denominationFen: DenominationFen;
  count: number;
}

/** The counted cash: each denomination times its count. */
export function countedFen(counts: readonly DenominationCount[]): Fen {
  return counts.reduce((s, c) => s + c.denominationFen * c.count, 0);
}

export interface DrawerFlows {
  openingFloatFen: Fen;
  /** Cash kept from sales, net of change given. */
  cashSalesFen: Fen;
  /** Cash handed back on returns. */
  cashRefundsFen: Fen;
  /** Change fund added to the drawer during the shift. */
  cashInFen: Fen;
  /** Change fund taken out, petty cash paid, and bank deposits. */
  cashOutFen: Fen;
  /**
   * Members' cash that is not a sale (#17): stored-value top-ups and the cash
   * part of points-mall gifts taken in, less stored-value principal refunded
   * in cash. Negative when more was refunded than taken.
   */
  memberCashFen: Fen;
}

/** expected cash = opening float + cash sales − cash refunds + cash in − cash out + members' cash. */
export function expectedCashFen(f: DrawerFlows): Fen {
  return f.openingFloatFen + f.cashSalesFen - f.cashRefundsFen + f.cashInFen - f.cashOutFen + f.memberCashFen;
}

/** Positive is over (长款), negative short (短款). */
export function varianceFen(counted: Fen, expected: Fen): Fen {
  return counted - expected;
}

/** Cash moves that put money into the drawer; the rest take it out. */
export const cash_in_kinds = ['change_fund_in'] as const;
