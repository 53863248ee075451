import { sql } from 'kysely';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { businessDate } from '../_kernel/clock.js';
import { reserveStock } from '../_stock/index.js';
import { assertStoreOpenForSale } from '../_identity/index.js';
import { postPoints } from '../_members/index.js';
import { earnPoints } from '../../shared/points/index.js';
import type { CheckoutRequest, CheckoutResponse } from '../../shared/api/orders.js';
import { open_order_hold_ms } from './limits.js';
import { findReplay, isUniqueViolation, replayOrPrice } from './checkout.service.js';
import { ReplayRace } from '../_kernel/idempotency.js';
import { orderViewById, toOrderView } from './order-view.js';
import { orderLineRows } from './order-lines.js';
import { shiftForSale } from './shift-of-sale.js';
import { checkHandDiscount, handDiscountReasons } from './hand-discounts.js';
import { handDiscountOf } from '../../shared/pricing/hand-discount.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { useCoupons } from '../_coupons/index.js';
import { spendStoredValue } from '../_stored-value/index.js';
import { cachedStoreContext } from './checkout.service.js';
import { completeStoredValueOrder } from './complete-order.js';

export interface OpenOrderActor {
  merchantId: string;
  staffId: string | null;
  channel: 'counter' | 'self_service';
  /** The assistant billing a counter order, whose hand-discount limit applies; null for a shopper's own order. */
  staff?: StaffPrincipal;
  /** Self-service: the table the shopper scanned, shown to the counter with the pickup code. */
  tableNo?: string | null;
}

/**
 * An order that waits for a platform payment: priced on the server exactly
 * as checkout prices it, its stock held and its points redeemed now, so a
 * payment that succeeds can always be honoured. No receipt number, journal
 * entry or earned points until it is paid; the scheduled job cancels it (and
 * gives stock and points back) if nothing is paid before it expires.
 *
 * A shopper may pay part or all of it from their stored value (储值): that
 * part is drawn now, under the member's lock, as the points are, and the
 * platform is asked for the rest only. When the stored value covers it all,
 * the order is paid in this same transaction and there is nothing to wait for.
 */
export async function createOpenOrder(deps: Deps, actor: OpenOrderActor, input: CheckoutRequest, pay: { storedValueFen: number } = { storedValueFen: 0 }): Promise<CheckoutResponse> {
  if (input.tenders.length > 0) throw new AppError('validation_failed', '待支付订单不能同时收现金或刷卡；请整单用微信或支付宝支付');
  if (input.offline) throw new AppError('validation_failed', '离线单不能等待线上支付');
  if (input.reservationId) throw new AppError('validation_failed', '预约取货请用现金或刷卡结账，暂不支持待支付订单');
  const storedValueFen = pay.storedValueFen;
  if (storedValueFen > 0 && !input.memberId) throw new AppError('validation_failed', '储值支付需要会员登录', [{ path: 'storedValueFen', message: 'member required' }]);
  await assertStoreOpenForSale(deps.db, actor.merchantId, input.storeId, false);
  // The stored-value part is part of what was asked: the same order id with another split is another request.
  const hash = requestHash(storedValueFen > 0 ? { ...input, storedValueFen } : input);
  const now = deps.clock();
  const day = businessDate(now);
  const orderId = input.clientOrderId;

  // A counter order's platform payment is part of the shift's takings; a shopper's own order belongs to no drawer.
  const [found, shift] = await Promise.all([
    replayOrPrice(deps, actor.merchantId, input, hash, now),
    actor.channel === 'counter' ? shiftForSale(deps.db, input.storeId, input.deviceId) : Promise.resolve({ shiftId: null, late: false }),
  ]);
  if ('replay' in found) return found.replay;
  const { priced } = found;
  const r = priced.result;
  if (r.totalFen !== input.expectedTotalFen) {
    throw new AppError('price_mismatch', `应付金额已变化：服务器计算为 ${r.totalFen} 分，页面显示 ${input.expectedTotalFen} 分，请刷新后重试`);
  }
  if (r.totalFen === 0) throw new AppError('validation_failed', '应付金额为 0，无需线上支付，请直接结账');
  if (storedValueFen > r.totalFen) throw new AppError('validation_failed', `储值支付 ${storedValueFen} 分超过应付金额 ${r.totalFen} 分`, [{ path: 'storedValueFen', message: 'more than the total' }]);
  // Paid in full from stored value: the sale is finished now, with the store's context read before the transaction.
  const context = storedValueFen === r.totalFen ? await cachedStoreContext(deps.db, actor.merchantId, input.storeId, now) : null;
  const earned = input.memberId ? earnPoints(r.totalFen, { earnPointsPerYuan: priced.settings.pointsPerYuan }, priced.pointsMultiplierBp) : 0;

  try {
    const view = await deps.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('orders')
        .values({
          id: orderId,
          merchant_id: actor.merchantId,
          store_id: input.storeId,
          staff_id: actor.staffId,
          member_id: input.memberId ?? null,
          channel: actor.channel,
          table_no: actor.tableNo ?? null,
          status: 'open',
          total_fen: r.totalFen,
          business_date: day,
          client_order_id: input.clientOrderId,
          request_hash: hash,
          device_id: input.deviceId ?? null,
          subtotal_list_fen: r.subtotalListFen,
          discount_fen: r.discountFen,
          points_redeemed: r.pointsRedeemed,
          points_fen: r.pointsFen,
          rounding_fen: r.roundingFen,
          points_earned: earned,
          stored_value_fen: storedValueFen,
          points_multiplier_bp: input.memberId ? priced.pointsMultiplierBp : null,
          pricing: JSON.stringify({ adjustments: r.adjustments, ruleNames: Object.fromEntries(priced.ruleNames), offlineReceiptNo: null }),
          expires_at: new Date(now.getTime() + open_order_hold_ms),
          shift_id: shift.shiftId === null ? null : sql<string>`(select id from shifts where id = ${shift.shiftId} and status = 'open')`,
        })
        .onConflict((oc) => oc.constraint('orders_client_id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) throw new ReplayRace();
      const lineRows = await trx
        .insertInto('order_lines')
        .values(orderLineRows(actor.merchantId, orderId, r.lines, priced.skus))
        .returningAll()
        .execute();
      // The coupons are taken now, as the points are, and come back if the order is cancelled or expires unpaid.
      if (input.memberId && input.couponIds && input.couponIds.length > 0) {
        await useCoupons(trx, { merchantId: actor.merchantId, memberId: input.memberId, orderId, couponIds: input.couponIds, result: r, at: now });
      }
      if (actor.staff) {
        await checkHandDiscount(trx, { staff: actor.staff, storeId: input.storeId, orderId, hand: handDiscountOf(r), code: input.discountApprovalCode, offline: false, now, reasons: handDiscountReasons(input) });
      }
      if (input.memberId && r.pointsRedeemed > 0) {
        await postPoints(trx, { merchantId: actor.merchantId, memberId: input.memberId, delta: -r.pointsRedeemed, reason: 'redeem', refId: orderId, idempotencyKey: `redeem:${orderId}` });
      }
      // Stored value before the store's stock rows, in the order a counter sale takes its locks.
      if (storedValueFen > 0 && input.memberId) {
        await spendStoredValue(trx, { merchantId: actor.merchantId, storeId: input.storeId, memberId: input.memberId, orderId, amountFen: storedValueFen, createdBy: actor.staffId, at: now });
      }
      await reserveStock(trx, {
        merchantId: actor.merchantId,
        storeId: input.storeId,
        orderId,
        lines: r.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
        expiresAt: new Date(now.getTime() + open_order_hold_ms),
      });
      if (context) {
        await completeStoredValueOrder(trx, orderId, now, context);
        return null;
      }
      return toOrderView(inserted, lineRows, []);
    });
    // An order finished in its own transaction is read back whole, with its receipt number and tenders.
    return { order: view ?? (await orderViewById(deps.db, actor.merchantId, orderId)), replayed: false };
  } catch (e) {
    if (e instanceof ReplayRace || isUniqueViolation(e)) {
      const again = await findReplay(deps, actor.merchantId, input.clientOrderId, hash);
      if (again) return again;
    }
    throw e;
  }
}
