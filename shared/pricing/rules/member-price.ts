import type { PricingLedger } from '../ledger.js';
import { addLineAdjustment } from '../ledger.js';

/**
 * Step 1. A member pays the member price; the difference from retail is
 * recorded as a discount so the receipt can show what membership saved.
 */
export function applyMemberPrices(ledger: PricingLedger): void {
  for (const line of ledger.lines) {
    const saving = line.input.qty * (line.unitListFen - line.unitPriceFen);
    addLineAdjustment(ledger, line.lineIndex, { kind: 'member_price' }, saving);
  }
}
