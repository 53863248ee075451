import { addOrderAdjustment, netsOf, orderNetFen, type PricingLedger } from '../ledger.js';
import { cashRoundingFen, type CashRounding } from '../rounding.js';

/**
 * Step 8, last. 抹零 acts on the money actually handed over, so it comes after
 * points, and only for cash. It always rounds down and is spread over the
 * lines by net like any order discount.
 */
export function applyCashRounding(ledger: PricingLedger, rule: CashRounding, cashTender: boolean): number {
  if (!cashTender) return 0;
  const fen = cashRoundingFen(orderNetFen(ledger), rule);
  addOrderAdjustment(ledger, { kind: 'cash_rounding' }, fen, netsOf(ledger));
  return fen;
}
