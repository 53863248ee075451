import { sql, type Transaction } from 'kysely';
import { restoreStoredValue } from '../_stored-value/index.js';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { audit } from '../_audit/index.js';
import { recordMovements } from '../_stock/index.js';
import { pointsBalance, postPoints } from '../_members/index.js';
import { sellingSettings } from '../_sales/index.js';
import { recordOrderReturn, shiftForSale } from '../_sales/index.js';
import { clawbackPoints } from '../../shared/points/index.js';
import { mulDivFloor } from '../../shared/pricing/rounding.js';
import type { ReturnRequest } from '../../shared/api/returns.js';
import { newId } from '../../shared/ids.js';
import { refundSplit, returnAmounts } from './compute.js';
import { returnLimits } from './limits.js';
import { postReturn } from './return-journal.js';
import { returnViewById } from './return-view.js';
import { reserveReturnRefunds } from '../_payments/index.js';
import { dispatchRefund } from '../_payments/index.js';

/** Sends a completed return's platform refunds now; one that fails in transit is picked up by the payment job. */
async function sendReturnRefunds(deps: Deps, returnId: string): Promise<void> {
  const pending = await deps.db.selectFrom('platform_refunds').select('id').where('return_id', '=', returnId).where('status', '=', 'pending').execute();
  for (const r of pending) {
    try {
      await dispatchRefund(deps, r.id);
    } catch (e) {
      deps.log.warn('refund not sent; the payment job will send it', { refundId: r.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
import { creditAccountRefunds } from '../_credit/index.js';
import { rollupReturn } from '../_reports/index.js';
import { giveBackCoupons } from '../_coupons/index.js';

/**
 * Starts a return against an order. Within the requester's limits (per
 * return, and per business day) it completes at once; above them it waits for
 * a manager's approval and nothing moves yet. The client's return id makes a
 * retry return the first result.
 */
export async function requestReturn(deps: Deps, staff: StaffPrincipal, input: ReturnRequest) {
  const hash = requestHash(input);
  const existing = await deps.db.selectFrom('returns').select(['id', 'request_hash']).where('merchant_id', '=', staff.merchantId).where('client_return_id', '=', input.clientReturnId).executeTakeFirst();
  if (existing) {
    if (existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `退货单号 ${input.clientReturnId} 已用于另一笔退货`);
    return { return: await returnViewById(deps.db, staff.merchantId, existing.id), replayed: true };
  }
  const order = await deps.db.selectFrom('orders').select(['id', 'store_id']).where('id', '=', input.orderId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!order) throw new AppError('not_found', `找不到订单 ${input.orderId}`);
  await assertStoreAccess(deps.db, staff, order.store_id);

  const now = deps.clock();
  const day = businessDate(now);
  const returnId = newId('return', now.getTime());
  // The cash part of a refund leaves the drawer of the shift open on the device that asked for it.
  const shift = await shiftForSale(deps.db, order.store_id, input.deviceId);
  await deps.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('orders').select(['id', 'status']).where('id', '=', order.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'refunded') throw new AppError('validation_failed', '这笔订单已全部退货');
    if (locked.status !== 'paid' && locked.status !== 'partially_refunded') throw new AppError('conflict', `订单状态为 ${locked.status}，不能退货`);
    const lines = await orderLines(trx, order.id);
    const amounts = returnAmounts(lines, input.lines);
    const amountFen = amounts.reduce((s, a) => s + a.amountFen, 0);
    if (amountFen <= 0) throw new AppError('validation_failed', '退款金额为 0，无需退货');

    const limits = await returnLimits(trx, staff.merchantId);
    const mine = limits[staff.role];
    const today = await trx
      .selectFrom('returns')
      .select(sql<number>`coalesce(sum(amount_fen), 0)::bigint`.as('fen'))
      .where('requested_by', '=', staff.staffId)
      .where('business_date', '=', day)
      .where('status', '=', 'completed')
      .executeTakeFirstOrThrow();
    const withinLimit = amountFen <= mine.perReturnFen && Number(today.fen) + amountFen <= mine.perDayFen;

    await trx
      .insertInto('returns')
      .values({
        id: returnId,
        merchant_id: staff.merchantId,
        store_id: order.store_id,
        order_id: order.id,
        client_return_id: input.clientReturnId,
        request_hash: hash,
        status: 'pending_approval',
        amount_fen: amountFen,
        reason: input.reason,
        requested_by: staff.staffId,
        business_date: day,
        shift_id: shift.shiftId,
      })
      .execute();
    await trx.insertInto('return_lines').values(amounts.map((a) => ({ return_id: returnId, order_line_id: a.orderLineId, qty: a.qty, amount_fen: a.amountFen }))).execute();
    await audit(trx, {
      merchantId: staff.merchantId,
      actorId: staff.staffId,
      action: withinLimit ? 'return.completed' : 'return.requested',
      subjectId: returnId,
      detail: { orderId: order.id, amountFen, reason: input.reason, limitPerReturnFen: mine.perReturnFen, limitPerDayFen: mine.perDayFen, returnedTodayFen: Number(today.fen) },
    });
    if (withinLimit) await completeReturn(deps, trx, returnId, staff.staffId, null);
  });
  await sendReturnRefunds(deps, returnId);
  return { return: await returnViewById(deps.db, staff.merchantId, returnId), replayed: false };
}

async function orderLines(trx: Transaction<DB>, orderId: string) {
  const rows = await trx.selectFrom('order_lines').select(['id', 'qty', 'net_fen', 'returned_qty', 'returned_fen', 'sku_id', 'cost_fen']).where('order_id', '=', orderId).orderBy('line_index').execute();
  return rows.map((r) => ({ id: r.id, qty: r.qty, netFen: r.net_fen, returnedQty: r.returned_qty, returnedFen: r.returned_fen, skuId: r.sku_id, costFen: r.cost_fen }));
}

/**
 * Moves everything a return moves, in the caller's transaction: the status
 * by compare-and-set (so one return completes once), the lines' returned
 * amounts (their check constraints refuse returning more than was sold), the
 * order's refunded total, stock back in, points back, the money out and the
 * journal entry.
 */
async function completeReturn(deps: Deps, trx: Transaction<DB>, returnId: string, decidedBy: string | null, note: string | null): Promise<void> {
  const now = deps.clock();
  const done = await trx
    .updateTable('returns')
    .set({ status: 'completed', ...(decidedBy ? { decided_by: decidedBy, decided_at: now, decision_note: note } : {}) })
    .where('id', '=', returnId)
    .where('status', '=', 'pending_approval')
    .returningAll()
    .executeTakeFirst();
  if (!done) throw new AppError('conflict', '这笔退货已处理过');
  const r = done;
  const order = await trx.selectFrom('orders').selectAll().where('id', '=', r.order_id).forUpdate().executeTakeFirstOrThrow();
  const lines = await orderLines(trx, r.order_id);
  const asked = await trx.selectFrom('return_lines').select(['order_line_id', 'qty']).where('return_id', '=', returnId).execute();
  // Recomputed under the order's lock: an approval may come after other returns of the same order.
  const amounts = returnAmounts(lines, asked.map((a) => ({ orderLineId: a.order_line_id, qty: a.qty })));
  const amountFen = amounts.reduce((s, a) => s + a.amountFen, 0);
  if (amountFen !== r.amount_fen) throw new AppError('conflict', '订单在审批期间已有其他退货，请重新发起');

  const lineById = new Map(lines.map((l) => [l.id, l]));
  let costFen = 0;
  for (const a of amounts) {
    const line = lineById.get(a.orderLineId)!;
    costFen += Math.floor((line.costFen * a.qty) / line.qty);
  }
  const previouslyRefunded = order.refunded_fen;
  const { refundedFen } = await recordOrderReturn(trx, order, amounts);
  // A coupon the order used comes back when its template's return rule says so, once.
  if (order.member_id) await giveBackCoupons(trx, { merchantId: order.merchant_id, orderId: order.id, returnId, at: now });

  await recordMovements(
    trx,
    amounts.map((a) => ({
      merchantId: order.merchant_id,
      storeId: order.store_id,
      skuId: lineById.get(a.orderLineId)!.skuId,
      kind: 'return' as const,
      onHandDelta: a.qty,
      refId: returnId,
      idempotencyKey: `return:${returnId}:${a.orderLineId}`,
      createdBy: decidedBy ?? r.requested_by,
    })),
  );

  // Money goes back to the tenders it came from, in the order they were taken.
  const tenders = await trx.selectFrom('order_tenders').select(['method', 'amount_fen', 'line_no']).where('order_id', '=', order.id).orderBy('line_no').execute();
  const earlier = await trx
    .selectFrom('return_refunds')
    .innerJoin('returns', 'returns.id', 'return_refunds.return_id')
    .select(['return_refunds.method', sql<number>`sum(return_refunds.amount_fen)::bigint`.as('fen')])
    .where('returns.order_id', '=', order.id)
    .groupBy('return_refunds.method')
    .execute();
  const refundedByMethod = new Map(earlier.map((e) => [e.method, Number(e.fen)]));
  const tenderSplit = refundSplit(
    amountFen,
    tenders.map((t) => {
      const already = Math.min(refundedByMethod.get(t.method) ?? 0, t.amount_fen);
      refundedByMethod.set(t.method, (refundedByMethod.get(t.method) ?? 0) - already);
      return { method: t.method, amountFen: t.amount_fen, refundedFen: already };
    }),
  );
  // Goods bought on account reduce what the customer owes instead of taking money out of the drawer.
  const split = await creditAccountRefunds(trx, { merchantId: order.merchant_id, orderId: order.id, returnId, businessDate: businessDate(now) }, tenderSplit);
  await trx.insertInto('return_refunds').values(split.map((s, i) => ({ return_id: returnId, line_no: i, method: s.method, amount_fen: s.amountFen }))).execute();
  // WeChat and Alipay shares go back through their platform: reserved here, sent once this transaction commits.
  await reserveReturnRefunds(trx, { orderId: order.id, returnId, shares: split, createdBy: decidedBy ?? r.requested_by, at: now });
  // Stored value (#17): its share goes back onto the card it came from, to principal and bonus as the sale drew them.
  const toStoredValue = split.find((x) => x.method === 'stored_value');
  if (toStoredValue) await restoreStoredValue(trx, { merchantId: order.merchant_id, storeId: order.store_id, orderId: order.id, returnId, amountFen: toStoredValue.amountFen, createdBy: decidedBy ?? r.requested_by, at: now });

  if (order.member_id) {
    const settings = await sellingSettings(trx, order.merchant_id, order.store_id);
    const prior = await trx
      .selectFrom('returns')
      .select([sql<number>`coalesce(sum(points_clawback), 0)::bigint`.as('points')])
      .where('order_id', '=', order.id)
      .where('status', '=', 'completed')
      .where('id', '!=', returnId)
      .executeTakeFirstOrThrow();
    const owed = clawbackPoints({ earnedPoints: order.points_earned, orderPaidFen: order.total_fen, returnedNetFen: amountFen, previouslyReturnedNetFen: previouslyRefunded, previouslyClawedBackPoints: Number(prior.points) });
    // Points already spent cannot be taken back below zero; the shortfall stays with the customer.
    await trx.selectFrom('members').select('id').where('id', '=', order.member_id).forUpdate().executeTakeFirstOrThrow();
    // Points that paid part of the order come back in the same proportion as the money, counted cumulatively.
    const redeemBack = order.total_fen === 0 ? 0 : mulDivFloor(order.points_redeemed, refundedFen, order.total_fen) - mulDivFloor(order.points_redeemed, previouslyRefunded, order.total_fen);
    if (redeemBack > 0) await postPoints(trx, { merchantId: order.merchant_id, memberId: order.member_id, delta: redeemBack, reason: 'refund_redeem', refId: returnId, idempotencyKey: `refund_redeem:${returnId}` });
    const balance = await pointsBalance(trx, order.member_id);
    const clawback = Math.min(owed, balance);
    if (clawback > 0) await postPoints(trx, { merchantId: order.merchant_id, memberId: order.member_id, delta: -clawback, reason: 'clawback', refId: returnId, idempotencyKey: `clawback:${returnId}` });
    await trx.updateTable('returns').set({ points_clawback: clawback }).where('id', '=', returnId).execute();
    await postReturn(trx, {
      merchantId: order.merchant_id,
      storeId: order.store_id,
      returnId,
      businessDate: businessDate(now),
      occurredAt: now,
      refunds: split,
      costFen,
      pointsRestoredValueFen: Math.floor(redeemBack / settings.redeemPointsPerFen),
      pointsClawedBackValueFen: Math.floor(clawback / settings.redeemPointsPerFen),
    });
  } else {
    await postReturn(trx, { merchantId: order.merchant_id, storeId: order.store_id, returnId, businessDate: businessDate(now), occurredAt: now, refunds: split, costFen, pointsRestoredValueFen: 0, pointsClawedBackValueFen: 0 });
  }
  await rollupReturn(trx, returnId);
}

export async function decideReturn(deps: Deps, staff: StaffPrincipal, returnId: string, decision: 'approve' | 'reject', note: string) {
  const r = await deps.db.selectFrom('returns').select(['id', 'store_id', 'amount_fen', 'status']).where('id', '=', returnId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!r) throw new AppError('not_found', `找不到退货单 ${returnId}`);
  await assertStoreAccess(deps.db, staff, r.store_id);
  const limits = await returnLimits(deps.db, staff.merchantId);
  if (decision === 'approve' && r.amount_fen > limits[staff.role].perReturnFen) {
    throw new AppError('forbidden', `退款 ${r.amount_fen} 分超过你的审批额度，需要店主审批`);
  }
  await deps.db.transaction().execute(async (trx) => {
    if (decision === 'approve') {
      await completeReturn(deps, trx, returnId, staff.staffId, note);
    } else {
      const done = await trx
        .updateTable('returns')
        .set({ status: 'rejected', decided_by: staff.staffId, decided_at: deps.clock(), decision_note: note })
        .where('id', '=', returnId)
        .where('status', '=', 'pending_approval')
        .executeTakeFirst();
      if (done.numUpdatedRows !== 1n) throw new AppError('conflict', '这笔退货已处理过');
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: decision === 'approve' ? 'return.approved' : 'return.rejected', subjectId: returnId, detail: { note, amountFen: r.amount_fen } });
  });
  if (decision === 'approve') await sendReturnRefunds(deps, returnId);
  return { return: await returnViewById(deps.db, staff.merchantId, returnId), replayed: false };
}
