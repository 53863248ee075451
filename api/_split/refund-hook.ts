import type { Deps } from '../_runtime/deps';
import { raiseAlert } from '../_payments/events';
import { recordSplitLog } from './log';

export type BeforeRefund = 'clear' | 'wait';

/**
 * Called before a platform refund of a payment is sent. Money split away to
 * receivers is not the merchant's to refund, so it is brought back first:
 * a split not yet sent is cancelled; a split still processing makes the
 * refund wait for the next sweep; each receiver paid by a finished split is
 * asked to return its part (WeChat return-orders; merchant receivers only).
 * A return the platform refuses is logged and alerted, and the refund goes
 * ahead: if the merchant's own balance cannot cover it, the refund fails
 * and the manager sees that too.
 */
export async function returnSplitBeforeRefund(deps: Deps, paymentId: string): Promise<BeforeRefund> {
  const split = await deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', paymentId).executeTakeFirst();
  if (!split) return 'clear';
  const now = deps.clock();
  if (split.status === 'calculated') {
    const cancelled = await deps.db.transaction().execute(async (trx) => {
      const moved = await trx.updateTable('payment_splits').set({ status: 'finished', split_fen: 0, retained_fen: split.paid_fen, updated_at: now }).where('id', '=', split.id).where('status', '=', 'calculated').executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) return false;
      await trx.updateTable('payment_split_parts').set({ status: 'closed', fail_reason: '退款前取消', finished_at: now }).where('split_id', '=', split.id).where('status', '=', 'pending').execute();
      await recordSplitLog(trx, { merchantId: split.merchant_id, event: 'cancelled', paymentId, splitId: split.id, amountFen: 0, detail: { reason: '分账请求发出前已退款，取消分账' }, at: now });
      return true;
    });
    return cancelled ? 'clear' : returnSplitBeforeRefund(deps, paymentId);
  }
  if (split.status === 'processing') return 'wait';

  const parts = await deps.db
    .selectFrom('payment_split_parts')
    .innerJoin('split_receivers', 'split_receivers.id', 'payment_split_parts.receiver_id')
    .select(['payment_split_parts.line_no', 'payment_split_parts.receiver_id', 'payment_split_parts.amount_fen', 'payment_split_parts.return_status', 'split_receivers.account_type', 'split_receivers.account', 'split_receivers.name'])
    .where('payment_split_parts.split_id', '=', split.id)
    .where('payment_split_parts.status', '=', 'success')
    .where((eb) => eb.or([eb('payment_split_parts.return_status', 'is', null), eb('payment_split_parts.return_status', '=', 'failed')]))
    .orderBy('payment_split_parts.line_no')
    .execute();
  if (parts.length === 0) return 'clear';
  const channel = deps.payments.get(split.channel);
  let wait = false;
  for (const part of parts) {
    const amountFen = Number(part.amount_fen);
    if (!channel.returnSplit || part.account_type !== 'MERCHANT_ID') {
      if (part.return_status === null) {
        await deps.db.updateTable('payment_split_parts').set({ return_status: 'failed' }).where('split_id', '=', split.id).where('line_no', '=', part.line_no).where('return_status', 'is', null).execute();
        await recordSplitLog(deps.db, { merchantId: split.merchant_id, event: 'return', paymentId, splitId: split.id, receiverId: part.receiver_id, amountFen, status: 'not_returnable', detail: { reason: '个人接收方的分账不能回退，需线下追回' }, at: now });
        await raiseAlert(deps.db, { merchantId: split.merchant_id, storeId: split.store_id, kind: 'split_return_failed', subjectId: split.id, message: `退款前无法回退 ${part.name} 的分账 ${(amountFen / 100).toFixed(2)} 元（个人接收方），请线下追回`, dedupeKey: `split_return:${split.id}:${part.line_no}` });
      }
      continue;
    }
    const tries = await deps.db.selectFrom('split_log').select((eb) => eb.fn.countAll<string>().as('n')).where('split_id', '=', split.id).where('receiver_id', '=', part.receiver_id).where('event', '=', 'return').where('status', '=', 'failed').executeTakeFirstOrThrow();
    const outReturnNo = `${split.id}_R${part.line_no}_${Number(tries.n)}`;
    let state;
    try {
      state = await channel.returnSplit({ outOrderNo: split.id, outReturnNo, returnAccount: part.account, amountFen, description: '退款前回退分账' });
    } catch (e) {
      deps.log.warn('split return call failed; the refund waits', { splitId: split.id, error: e instanceof Error ? e.message : String(e) });
      wait = true;
      continue;
    }
    if (state.state === 'processing') {
      wait = true;
      continue;
    }
    await deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('payment_split_parts').set({ return_status: state.state === 'success' ? 'success' : 'failed' }).where('split_id', '=', split.id).where('line_no', '=', part.line_no).execute();
      await recordSplitLog(trx, { merchantId: split.merchant_id, event: 'return', paymentId, splitId: split.id, receiverId: part.receiver_id, amountFen, status: state.state, detail: { outReturnNo, ...(state.failReason ? { failReason: state.failReason } : {}) }, at: now });
      if (state.state === 'failed') {
        await raiseAlert(trx, { merchantId: split.merchant_id, storeId: split.store_id, kind: 'split_return_failed', subjectId: split.id, message: `退款前回退 ${part.name} 的分账 ${(amountFen / 100).toFixed(2)} 元失败（${state.failReason ?? ''}）`, dedupeKey: `split_return:${split.id}:${part.line_no}:${outReturnNo}` });
      }
    });
  }
  return wait ? 'wait' : 'clear';
}
