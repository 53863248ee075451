import { sql, type Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { postEntry } from '../_ledger/index.js';
import { businessDate } from '../_kernel/clock.js';
import { tenderAccount } from '../_sales/index.js';
import { audit } from '../_audit/index.js';
import { formatFen } from '../../shared/money.js';
import type { PaymentChannel, RefundState } from './channel.js';
import { recordPaymentEvent } from './events.js';
import { raiseAlert } from '../_alerts/index.js';
import { refund_attempts_max } from './limits.js';
import { notifyUrl } from './notify-url.js';
import { paymentChannelIfBound } from './merchant-channel.js';
import { returnSplitBeforeRefund, royaltyReturnsFor } from '../_split/index.js';

export type RefundOutcome = 'applied' | 'duplicate' | 'unknown_refund' | 'still_pending' | 'amount_mismatch' | 'already_final';

/**
 * Sends one refund to its platform. Compare-and-set pending→processing
 * first, so two dispatchers never send it twice at once; the platform call
 * happens outside any transaction; its answer is applied like a
 * notification. A call that fails in transit stays `processing` and the
 * scheduled job asks the platform about it, then sends it again under the
 * same out_refund_no if the platform never saw it.
 */
export async function dispatchRefund(deps: Deps, refundId: string): Promise<RefundOutcome | 'not_pending'> {
  // Split funds come back before the refund goes out (A10): a split still in flight makes the refund wait for the sweep.
  const queued = await deps.db.selectFrom('platform_refunds').select(['payment_id', 'status', 'merchant_id', 'channel']).where('id', '=', refundId).executeTakeFirst();
  if (!queued || queued.status !== 'pending') return 'not_pending';
  // The merchant's own channel (#18), found before the refund is claimed: without a binding it waits, unclaimed, for the owner to set one up again.
  const channel = await paymentChannelIfBound(deps, queued.merchant_id, queued.channel);
  if (!channel) {
    deps.log.warn('refund waits: the merchant has no active binding on the channel', { refundId, merchantId: queued.merchant_id, channel: queued.channel });
    return 'still_pending';
  }
  if ((await returnSplitBeforeRefund(deps, queued.payment_id)) === 'wait') return 'still_pending';
  const claimed = await deps.db
    .updateTable('platform_refunds')
    .set({ status: 'processing', attempts: sql`attempts + 1`, updated_at: deps.clock() })
    .where('id', '=', refundId)
    .where('status', '=', 'pending')
    .where('attempts', '<', refund_attempts_max)
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return 'not_pending';
  const payment = await deps.db.selectFrom('payments').select(['out_trade_no', 'amount_fen']).where('id', '=', claimed.payment_id).executeTakeFirstOrThrow();
  let state: RefundState;
  try {
    const royaltyReturns = await royaltyReturnsFor(deps, claimed);
    state = await channel.refund({ outTradeNo: payment.out_trade_no, outRefundNo: claimed.out_refund_no, refundFen: claimed.amount_fen, totalFen: payment.amount_fen, reason: claimed.reason, notifyUrl: notifyUrl(deps, claimed.channel), ...(royaltyReturns ? { royaltyReturns } : {}) });
  } catch (e) {
    deps.log.warn('refund call failed; the job will ask the platform', { refundId, error: e instanceof Error ? e.message : String(e) });
    await recordPaymentEvent(deps.db, { merchantId: claimed.merchant_id, refundId, paymentId: claimed.payment_id, event: 'refund_call_failed', source: 'dispatch', detail: { error: e instanceof Error ? e.message : String(e) } });
    return 'still_pending';
  }
  return applyRefundState(deps, channel, state, 'dispatch');
}

/** Applies what a platform says about a refund (its answer, a query or a notification): compare-and-set, once. */
export async function applyRefundState(deps: Deps, channel: PaymentChannel, state: RefundState, source: string): Promise<RefundOutcome> {
  return (await applyRefundStateTo(deps, channel, state, source)).outcome;
}

/** The same, also telling which refund it was, for the notification log. */
export async function applyRefundStateTo(deps: Deps, channel: PaymentChannel, state: RefundState, source: string): Promise<{ outcome: RefundOutcome; refund?: { id: string; merchantId: string; paymentId: string } }> {
  const r = await deps.db.selectFrom('platform_refunds').selectAll().where('channel', '=', channel.name).where('out_refund_no', '=', state.outRefundNo).executeTakeFirst();
  if (!r) return { outcome: 'unknown_refund' };
  return { outcome: await applyToRow(deps, r, state, source), refund: { id: r.id, merchantId: r.merchant_id, paymentId: r.payment_id } };
}

async function applyToRow(deps: Deps, r: Selectable<DB['platform_refunds']>, state: RefundState, source: string): Promise<RefundOutcome> {
  if (state.state === 'pending') return 'still_pending';
  if (state.state === 'succeeded' && state.refundFen !== undefined && state.refundFen !== r.amount_fen) {
    await raiseAlert(deps.db, { merchantId: r.merchant_id, storeId: r.store_id, kind: 'refund_amount_mismatch', subjectId: r.id, message: `退款 ${r.out_refund_no} 金额不符：应退 ${formatFen(r.amount_fen)}，平台 ${formatFen(state.refundFen)}`, dedupeKey: `refund_amount_mismatch:${r.id}` });
    return 'amount_mismatch';
  }
  if (state.state === 'not_found') {
    // The platform never received it: put it back in the queue under the same number.
    const back = await deps.db.updateTable('platform_refunds').set({ status: 'pending', updated_at: deps.clock() }).where('id', '=', r.id).where('status', '=', 'processing').executeTakeFirst();
    return back.numUpdatedRows === 1n ? 'still_pending' : 'already_final';
  }
  const next = state.state === 'succeeded' ? 'succeeded' : state.state === 'abnormal' ? 'abnormal' : state.state === 'closed' ? 'closed' : 'failed';
  return deps.db.transaction().execute(async (trx): Promise<RefundOutcome> => {
    const done = await trx
      .updateTable('platform_refunds')
      .set({
        status: next,
        platform_refund_no: state.platformRefundNo ?? r.platform_refund_no,
        failure_code: state.failure?.code ?? null,
        failure_message: state.failure?.message ?? null,
        updated_at: deps.clock(),
        ...(next === 'succeeded' ? { succeeded_at: state.refundedAt ?? deps.clock() } : {}),
      })
      .where('id', '=', r.id)
      .where('status', 'in', ['pending', 'processing'])
      .executeTakeFirst();
    if (done.numUpdatedRows !== 1n) return r.status === next ? 'duplicate' : 'already_final';
    await recordPaymentEvent(trx, { merchantId: r.merchant_id, paymentId: r.payment_id, refundId: r.id, event: `refund_${next}`, source, detail: { platformRefundNo: state.platformRefundNo ?? null, failure: state.failure ?? null } });
    if (next !== 'succeeded') {
      await raiseAlert(trx, {
        merchantId: r.merchant_id,
        storeId: r.store_id,
        kind: 'refund_failed',
        subjectId: r.id,
        message: `${r.channel === 'wechat' ? '微信' : '支付宝'}退款 ${formatFen(r.amount_fen)} 未成功（${state.failure?.message ?? next}），请店长重试或改为现金退款`,
        detail: { orderId: r.order_id, returnId: r.return_id, status: next },
        dedupeKey: `refund_failed:${r.id}:${r.attempts}`,
      });
    }
    return 'applied';
  });
}

async function refundForStaff(deps: Deps, staff: StaffPrincipal, refundId: string) {
  const r = await deps.db.selectFrom('platform_refunds').selectAll().where('id', '=', refundId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!r) throw new AppError('not_found', `找不到退款 ${refundId}`);
  await assertStoreAccess(deps.db, staff, r.store_id);
  if (staff.role === 'assistant') throw new AppError('forbidden', '退款重试或改现金需要店长或店主');
  return r;
}

/** A manager sends a failed refund again, under the same refund number. */
export async function retryRefund(deps: Deps, staff: StaffPrincipal, refundId: string): Promise<RefundOutcome | 'not_pending'> {
  const r = await refundForStaff(deps, staff, refundId);
  const reopened = await deps.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('platform_refunds')
      .set({ status: 'pending', attempts: 0, updated_at: deps.clock() })
      .where('id', '=', r.id)
      .where('status', 'in', ['failed', 'abnormal', 'closed'])
      .executeTakeFirst();
    if (done.numUpdatedRows !== 1n) return false;
    await recordPaymentEvent(trx, { merchantId: r.merchant_id, paymentId: r.payment_id, refundId: r.id, event: 'refund_retry', source: 'staff', actorId: staff.staffId });
    await audit(trx, { merchantId: r.merchant_id, actorId: staff.staffId, action: 'refund.retry', subjectId: r.id, detail: { amountFen: r.amount_fen, previousStatus: r.status } });
    return true;
  });
  if (!reopened) throw new AppError('conflict', `退款状态为 ${r.status}，不能重试`);
  return dispatchRefund(deps, r.id);
}

/**
 * A manager gives a refund the platform would not take back in cash
 * instead: the platform refund is closed for good (its share of the payment
 * becomes refundable again only through cash), and the journal moves the
 * amount owed from the clearing account to the drawer.
 */
export async function refundToCash(deps: Deps, staff: StaffPrincipal, refundId: string, note: string): Promise<void> {
  const r = await refundForStaff(deps, staff, refundId);
  const now = deps.clock();
  const moved = await deps.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('platform_refunds')
      .set({ status: 'to_cash', updated_at: now })
      .where('id', '=', r.id)
      .where('status', 'in', ['failed', 'abnormal', 'closed'])
      .executeTakeFirst();
    if (done.numUpdatedRows !== 1n) return false;
    await postEntry(trx, {
      merchantId: r.merchant_id,
      storeId: r.store_id,
      eventKey: `refund_to_cash:${r.id}`,
      businessDate: businessDate(now),
      occurredAt: now,
      memo: '线上退款失败，改现金退款',
      lines: [
        { account: tenderAccount(r.channel), debitFen: r.amount_fen },
        { account: 'cash', creditFen: r.amount_fen },
      ],
    });
    await recordPaymentEvent(trx, { merchantId: r.merchant_id, paymentId: r.payment_id, refundId: r.id, event: 'refund_to_cash', source: 'staff', actorId: staff.staffId, detail: { note } });
    await audit(trx, { merchantId: r.merchant_id, actorId: staff.staffId, action: 'refund.to_cash', subjectId: r.id, detail: { amountFen: r.amount_fen, previousStatus: r.status, note } });
    return true;
  });
  if (!moved) throw new AppError('conflict', `退款状态为 ${r.status}，只有失败的退款可以改为现金`);
}
