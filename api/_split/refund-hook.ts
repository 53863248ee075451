import { formatFen } from '../../shared/money.js';
import type { Deps } from '../_kernel/deps.js';
import type { RoyaltyReturn } from '../_payments/index.js';
import { raiseAlert } from '../_alerts/index.js';
import { recordSplitLog } from './log.js';

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
  const channel = await deps.payments.forMerchant(deps, split.merchant_id, split.channel);
  // Alipay takes the split back inside the refund itself (royaltyReturnsFor): nothing to do first.
  if (channel.splitReturnsWithRefund) return 'clear';
  let wait = false;
  for (const part of parts) {
    const amountFen = Number(part.amount_fen);
    if (!channel.returnSplit || part.account_type !== 'MERCHANT_ID') {
      if (part.return_status === null) {
        await deps.db.updateTable('payment_split_parts').set({ return_status: 'failed' }).where('split_id', '=', split.id).where('line_no', '=', part.line_no).where('return_status', 'is', null).execute();
        await recordSplitLog(deps.db, { merchantId: split.merchant_id, event: 'return', paymentId, splitId: split.id, receiverId: part.receiver_id, amountFen, status: 'not_returnable', detail: { reason: '个人接收方的分账不能回退，需线下追回' }, at: now });
        await raiseAlert(deps.db, { merchantId: split.merchant_id, storeId: split.store_id, kind: 'split_return_failed', subjectId: split.id, message: `退款前无法回退 ${part.name} 的分账 ${formatFen(amountFen)}（个人接收方），请线下追回`, dedupeKey: `split_return:${split.id}:${part.line_no}` });
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
        await raiseAlert(trx, { merchantId: split.merchant_id, storeId: split.store_id, kind: 'split_return_failed', subjectId: split.id, message: `退款前回退 ${part.name} 的分账 ${formatFen(amountFen)}失败（${state.failReason ?? ''}）`, dedupeKey: `split_return:${split.id}:${part.line_no}:${outReturnNo}` });
      }
    });
  }
  return wait ? 'wait' : 'clear';
}

interface ReturnLogRow {
  receiver_id: string | null;
  amount_fen: number | null;
  status: string | null;
  detail: unknown;
}

function outRefundNoOf(row: ReturnLogRow): string | undefined {
  const detail = row.detail as { outRefundNo?: unknown } | null;
  return typeof detail?.outRefundNo === 'string' ? detail.outRefundNo : undefined;
}

/** Per receiver: split money back already (`returned`) and asked back by refunds not yet final (`inFlight`), read from the log. */
function returnsSoFar(rows: readonly ReturnLogRow[]): Map<string, { returned: number; inFlight: Map<string, number> }> {
  const out = new Map<string, { returned: number; inFlight: Map<string, number> }>();
  for (const row of rows) {
    const receiverId = row.receiver_id ?? '';
    const outRefundNo = outRefundNoOf(row) ?? '';
    const entry = out.get(receiverId) ?? { returned: 0, inFlight: new Map<string, number>() };
    out.set(receiverId, entry);
    if (row.status === 'requested') entry.inFlight.set(outRefundNo, Number(row.amount_fen ?? 0));
    else {
      entry.inFlight.delete(outRefundNo);
      if (row.status === 'success') entry.returned += Number(row.amount_fen ?? 0);
    }
  }
  return out;
}

/**
 * Where the platform takes split money back inside the refund (Alipay
 * `refund_royalty_parameters`): which receivers give back how much for this
 * refund. Receivers whose split succeeded give back first, in rule order,
 * up to the refund's amount; the merchant pays the rest. The list is
 * written to the split log as `requested` before the refund is sent and
 * read back from there on every resend, so a retry under the same
 * out_refund_no carries exactly the same parameters. The split sweep
 * settles each entry once the refund is final (`settleRoyaltyReturns`).
 */
export async function royaltyReturnsFor(deps: Deps, refund: { id: string; merchant_id: string; payment_id: string; out_refund_no: string; amount_fen: number; channel: 'wechat' | 'alipay' }): Promise<RoyaltyReturn[] | undefined> {
  if (!(await deps.payments.forMerchant(deps, refund.merchant_id, refund.channel)).splitReturnsWithRefund) return undefined;
  const split = await deps.db.selectFrom('payment_splits').select(['id', 'merchant_id', 'status']).where('payment_id', '=', refund.payment_id).executeTakeFirst();
  if (!split || (split.status !== 'finished' && split.status !== 'unfrozen')) return undefined;
  const parts = await deps.db
    .selectFrom('payment_split_parts')
    .innerJoin('split_receivers', 'split_receivers.id', 'payment_split_parts.receiver_id')
    .select(['payment_split_parts.line_no', 'payment_split_parts.receiver_id', 'payment_split_parts.amount_fen', 'split_receivers.account_type', 'split_receivers.account', 'split_receivers.name'])
    .where('payment_split_parts.split_id', '=', split.id)
    .where('payment_split_parts.status', '=', 'success')
    .orderBy('payment_split_parts.line_no')
    .execute();
  if (parts.length === 0) return undefined;
  const log = await deps.db.selectFrom('split_log').select(['receiver_id', 'amount_fen', 'status', 'detail']).where('split_id', '=', split.id).where('event', '=', 'return').orderBy('id').execute();
  const so = returnsSoFar(log);
  const toReturn = (part: (typeof parts)[number], amountFen: number): RoyaltyReturn => ({ type: part.account_type, account: part.account, amountFen, description: `退款 ${refund.out_refund_no} 退回分账` });

  const earlier = parts.filter((p) => log.some((row) => row.receiver_id === p.receiver_id && row.status === 'requested' && outRefundNoOf(row) === refund.out_refund_no));
  if (earlier.length > 0) {
    // A resend: the same receivers and amounts as the first time, asked back again if a failure had settled them.
    const again = earlier.map((p) => {
      const row = log.find((r) => r.receiver_id === p.receiver_id && r.status === 'requested' && outRefundNoOf(r) === refund.out_refund_no)!;
      return { part: p, amountFen: Number(row.amount_fen) };
    });
    const settled = again.filter(({ part }) => !so.get(part.receiver_id)?.inFlight.has(refund.out_refund_no));
    if (settled.length > 0) await markRequested(deps, split, refund, settled);
    return again.map(({ part, amountFen }) => toReturn(part, amountFen));
  }

  let left = refund.amount_fen;
  const chosen: { part: (typeof parts)[number]; amountFen: number }[] = [];
  for (const part of parts) {
    if (left <= 0) break;
    const seen = so.get(part.receiver_id);
    const inFlight = seen ? [...seen.inFlight.values()].reduce((a, b) => a + b, 0) : 0;
    const outstanding = Number(part.amount_fen) - (seen?.returned ?? 0) - inFlight;
    const take = Math.min(outstanding, left);
    if (take <= 0) continue;
    chosen.push({ part, amountFen: take });
    left -= take;
  }
  if (chosen.length === 0) return undefined;
  await markRequested(deps, split, refund, chosen);
  return chosen.map(({ part, amountFen }) => toReturn(part, amountFen));
}

async function markRequested(deps: Deps, split: { id: string; merchant_id: string }, refund: { id: string; payment_id: string; out_refund_no: string }, entries: { part: { line_no: number; receiver_id: string }; amountFen: number }[]): Promise<void> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    for (const { part, amountFen } of entries) {
      await trx.updateTable('payment_split_parts').set({ return_status: 'processing' }).where('split_id', '=', split.id).where('line_no', '=', part.line_no).execute();
      await recordSplitLog(trx, { merchantId: split.merchant_id, event: 'return', paymentId: refund.payment_id, splitId: split.id, receiverId: part.receiver_id, amountFen, status: 'requested', detail: { outRefundNo: refund.out_refund_no, refundId: refund.id, with: 'refund_royalty_parameters' }, at: now });
    }
  });
}

/**
 * Settles split money asked back inside refunds, once each refund is final:
 * a succeeded refund brought it back (`success`; the part is `success` when
 * all of it is back, else open for the next refund), a refund that failed
 * did not (`failed`, the owner is alerted). Compare-and-set on the part's
 * `processing` status, so two sweeps write one line.
 */
export async function settleRoyaltyReturns(deps: Deps, merchantId?: string): Promise<number> {
  const open = await deps.db
    .selectFrom('payment_split_parts')
    .innerJoin('payment_splits', 'payment_splits.id', 'payment_split_parts.split_id')
    .innerJoin('split_receivers', 'split_receivers.id', 'payment_split_parts.receiver_id')
    .select(['payment_split_parts.split_id', 'payment_split_parts.line_no', 'payment_split_parts.receiver_id', 'payment_split_parts.amount_fen', 'payment_splits.merchant_id', 'payment_splits.store_id', 'payment_splits.payment_id', 'payment_splits.channel', 'split_receivers.name'])
    .where('payment_split_parts.return_status', '=', 'processing')
    .where('payment_splits.channel', '=', 'alipay')
    .$if(merchantId !== undefined, (q) => q.where('payment_splits.merchant_id', '=', merchantId!))
    .limit(200)
    .execute();
  let settled = 0;
  for (const part of open) {
    const log = await deps.db.selectFrom('split_log').select(['receiver_id', 'amount_fen', 'status', 'detail']).where('split_id', '=', part.split_id).where('receiver_id', '=', part.receiver_id).where('event', '=', 'return').orderBy('id').execute();
    const so = returnsSoFar(log).get(part.receiver_id);
    if (!so) continue;
    for (const [outRefundNo, amountFen] of so.inFlight) {
      const refund = await deps.db.selectFrom('platform_refunds').select(['id', 'status']).where('channel', '=', part.channel).where('out_refund_no', '=', outRefundNo).executeTakeFirst();
      if (!refund || refund.status === 'pending' || refund.status === 'processing') continue;
      const ok = refund.status === 'succeeded';
      const returnedAfter = so.returned + (ok ? amountFen : 0);
      const stillOpen = [...so.inFlight.keys()].some((k) => k !== outRefundNo);
      const next = stillOpen ? 'processing' : ok ? (returnedAfter >= Number(part.amount_fen) ? 'success' : null) : 'failed';
      const now = deps.clock();
      const wrote = await deps.db.transaction().execute(async (trx) => {
        const moved = await trx.updateTable('payment_split_parts').set({ return_status: next }).where('split_id', '=', part.split_id).where('line_no', '=', part.line_no).where('return_status', '=', 'processing').executeTakeFirst();
        if (moved.numUpdatedRows !== 1n) return false;
        await recordSplitLog(trx, { merchantId: part.merchant_id, event: 'return', paymentId: part.payment_id, splitId: part.split_id, receiverId: part.receiver_id, amountFen, status: ok ? 'success' : 'failed', detail: { outRefundNo, refundId: refund.id, refundStatus: refund.status }, at: now });
        if (!ok) {
          await raiseAlert(trx, { merchantId: part.merchant_id, storeId: part.store_id, kind: 'split_return_failed', subjectId: part.split_id, message: `随退款 ${outRefundNo} 退回 ${part.name} 的分账 ${formatFen(amountFen)}未成功（退款${refund.status}）`, dedupeKey: `split_return:${part.split_id}:${part.line_no}:${outRefundNo}` });
        }
        return true;
      });
      if (wrote) settled++;
      break;
    }
  }
  return settled;
}
