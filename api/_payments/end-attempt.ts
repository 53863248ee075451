import type { Deps } from '../_kernel/deps.js';
import type { PaymentChannel, PaymentMode } from './channel.js';
import { recordPaymentEvent } from './events.js';
import { applyTrade, type SettleResult } from './settle.js';

/** What ending an attempt needs of its payment row. */
interface Attempt {
  id: string;
  merchant_id: string;
  out_trade_no: string;
  mode: PaymentMode;
}

/**
 * Ends an unpaid attempt at its platform: a QR or mini-program trade is
 * closed, a payment code is reversed (which the platform refunds if it was
 * paid after all). The payment's history says who ended it and why.
 */
export async function endAtPlatform(deps: Deps, channel: PaymentChannel, p: Attempt, by: { source: string; actorId?: string; detail?: Record<string, unknown> }): Promise<void> {
  await channel.cancel(p.out_trade_no, p.mode);
  await recordPaymentEvent(deps.db, { merchantId: p.merchant_id, paymentId: p.id, event: p.mode === 'code' ? 'reversed' : 'closed_at_platform', ...by });
}

/** Books an attempt that was ended at the platform as closed, with the reason staff see. */
export function bookEnded(deps: Deps, channel: PaymentChannel, p: Attempt, failure: { code: string; message: string }): Promise<SettleResult> {
  return applyTrade(deps, channel, { state: 'closed', outTradeNo: p.out_trade_no, failure }, 'query');
}
