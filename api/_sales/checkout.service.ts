import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess, assertStoreOpenForSale } from '../_identity/index.js';
import { ReplayRace, requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { takeStock } from '../_stock/index.js';
import { pickUpInCheckout } from '../_reservations/index.js';
import { postPoints } from '../_members/index.js';
import { rewardReferralOnPaidOrder } from '../_referrals/index.js';
import { upgradeLevel } from '../_members/index.js';
import type { CheckoutRequest, CheckoutResponse } from '../../shared/api/orders.js';
import { priceOrder, isPricingError } from '../../shared/pricing/index.js';
import type { PricingResult } from '../../shared/pricing/types.js';
import { earnPoints } from '../../shared/points/index.js';
import { levelBenefits, pricingLevelOf } from '../../shared/pricing/member-level.js';
import { newId } from '../../shared/ids.js';
import { activePromotions } from './catalog-for-sale.js';
import { skusForSale, type SaleSku } from '../_catalog/index.js';
import { sellingSettings, type SellingSettings } from './settings.js';
import { applyTenders } from './tenders.js';
import { assignReceiptNo } from './receipt-numbers.js';
import { postSale } from './sale-journal.js';
import { orderViewById, toOrderView } from './order-view.js';
import { orderLineRows } from './order-lines.js';
import { TtlCache, pricing_context_cache_entries_max, pricing_context_cache_ms } from './context-cache.js';
import { openInvoiceForSale, priceForCustomer } from '../_credit/index.js';
import { saleRollupCtes } from '../_reports/index.js';
import { shiftForSale } from './shift-of-sale.js';
import { couponsForOrder, useCoupons, type CouponsForOrder } from '../_coupons/index.js';
import { checkHandDiscount, handDiscountReasons } from './hand-discounts.js';
import { handDiscountOf } from '../../shared/pricing/hand-discount.js';
import { offline_billed_at_age_max_ms, offline_billed_at_skew_max_ms } from './limits.js';
import { spendStoredValue } from '../_stored-value/index.js';
import { pointsChangedData, queueMemberMessage, sendMessagesSoon } from '../_messages/index.js';

const contextCache = new TtlCache<{ settings: SellingSettings; promos: Awaited<ReturnType<typeof activePromotions>>; store: { id: string; code: string } }>(pricing_context_cache_ms, pricing_context_cache_entries_max);

/** Settings, running promotions and the store's code, cached for a few seconds per store. */
function storeContext(db: Kysely<DB> | Transaction<DB>, merchantId: string, storeId: string, at: Date) {
  // Keyed by the minute too, so a promotion that starts or ends is seen within a minute even under a steady stream of sales.
  return contextCache.get(`${merchantId}|${storeId}|${Math.floor(at.getTime() / 60_000)}`, async () => {
    const [settings, promos, store] = await Promise.all([
      sellingSettings(db, merchantId, storeId),
      activePromotions(db, merchantId, storeId, at),
      db.selectFrom('stores').select(['id', 'code']).where('id', '=', storeId).where('merchant_id', '=', merchantId).executeTakeFirstOrThrow(),
    ]);
    return { settings, promos, store };
  });
}

/** The store's selling settings and code, from the same few-second cache checkout prices with. */
export async function cachedStoreContext(db: Kysely<DB>, merchantId: string, storeId: string, at: Date) {
  const { settings, store } = await storeContext(db, merchantId, storeId, at);
  return { settings, store };
}

/** Promotion and settings writes call this so this instance prices with them at once. */
export function forgetPricingContext(): void {
  contextCache.clear();
}

export interface Priced {
  result: PricingResult;
  skus: Map<string, SaleSku>;
  ruleNames: Map<string, string>;
  settings: SellingSettings;
  /** The member's level's points multiplier (10000, the plain rate, without a member or level). */
  pointsMultiplierBp: number;
}

export interface PricingInputs {
  skus: Map<string, SaleSku>;
  settings: SellingSettings;
  promos: Awaited<ReturnType<typeof activePromotions>>;
  store: { id: string; code: string };
}

async function loadPricingInputs(db: Kysely<DB>, merchantId: string, input: CheckoutRequest, at: Date): Promise<PricingInputs> {
  const [skus, context] = await Promise.all([skusForSale(db, merchantId, input.lines.map((l) => l.skuId), input.storeId), storeContext(db, merchantId, input.storeId, at)]);
  // A trade customer buys at their price list's prices; what is not on it sells at retail.
  return { skus: input.tradeCustomerId ? await priceForCustomer(db, merchantId, input.tradeCustomerId, skus) : skus, ...context };
}

/** Prices an order the way the counter previewed it, from the database's prices and rules only. */
function price(inputs: PricingInputs, input: CheckoutRequest, member: MemberAtSale | null, coupons: CouponsForOrder): Priced {
  const { skus, settings, promos } = inputs;
  const benefits = levelBenefits(settings.memberLevels, member?.level);
  const level = pricingLevelOf(benefits);
  try {
    const result = priceOrder({
      lines: input.lines.map((l) => {
        const sku = skus.get(l.skuId)!;
        return {
          skuId: sku.id,
          categoryId: sku.categoryId,
          ...(sku.parentCategoryId ? { parentCategoryId: sku.parentCategoryId } : {}),
          qty: l.qty,
          retailPriceFen: sku.retailPriceFen,
          memberPriceFen: sku.memberPriceFen,
          ...(l.discount ? { discount: l.discount } : {}),
        };
      }),
      ...(input.memberId && member !== null ? { member: { id: input.memberId, pointsBalance: member.balance, ...(level ? { level } : {}) } } : {}),
      bundles: promos.bundles,
      discounts: promos.discounts,
      thresholds: promos.thresholds,
      ...(coupons.rules.length > 0 ? { coupons: coupons.rules } : {}),
      ...(input.orderDiscount ? { orderDiscount: input.orderDiscount } : {}),
      ...(input.pointsToRedeem ? { points: { requested: input.pointsToRedeem, rules: { redeemPointsPerFen: settings.redeemPointsPerFen, redeemCapBp: settings.pointsRedeemCapBp } } } : {}),
      cashRounding: settings.cashRounding,
      cashTender: input.tenders.some((t) => t.method === 'cash'),
    });
    const ruleNames = coupons.names.size === 0 ? promos.names : new Map([...promos.names, ...coupons.names]);
    return { result, skus, ruleNames, settings, pointsMultiplierBp: benefits.pointsMultiplierBp };
  } catch (e) {
    // The engine names a coupon by its place in its input, which is the request's couponIds.
    if (isPricingError(e)) throw new AppError('validation_failed', e.message, [{ path: (e.path ?? '(order)').replace(/^coupons\./, 'couponIds.'), message: e.code }]);
    throw e;
  }
}

interface MemberAtSale {
  balance: number;
  level: string;
}

/** The member's points balance and level, in one read; null without a member. Another merchant's member is not found. */
async function memberAtSale(deps: Deps, merchantId: string, input: CheckoutRequest): Promise<MemberAtSale | null> {
  if (!input.memberId) {
    if (input.pointsToRedeem) throw new AppError('validation_failed', '积分抵扣需要先选会员');
    return null;
  }
  const row = await deps.db
    .selectFrom('members')
    .select((eb) => [
      'members.id',
      'members.level',
      eb
        .selectFrom('points_ledger')
        .select('balance_after')
        .whereRef('points_ledger.member_id', '=', 'members.id')
        .orderBy('seq', 'desc')
        .limit(1)
        .as('balance'),
    ])
    .where('members.id', '=', input.memberId)
    .where('members.merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', '找不到这位会员');
  return { balance: row.balance ?? 0, level: row.level };
}

/**
 * Bills a sale at the counter in one transaction: price on the server,
 * compare with what the counter showed, take the stock (or, for a sale billed
 * offline, keep it and flag a shortfall), record lines and tenders, move the
 * points, and post the journal. The client's order id makes it idempotent: a
 * replay returns the first result, a different request under the same id is
 * refused.
 */
export async function checkout(deps: Deps, staff: StaffPrincipal, input: CheckoutRequest): Promise<CheckoutResponse> {
  await assertStoreAccess(deps.db, staff, input.storeId);
  await assertStoreOpenForSale(deps.db, staff.merchantId, input.storeId, Boolean(input.offline));
  const hash = requestHash(input);
  const now = deps.clock();
  const at = input.offline ? new Date(input.offline.billedAt) : now;
  const day = businessDate(at);
  const orderId = input.clientOrderId;
  if (input.reservationId && input.offline) throw new AppError('validation_failed', '预约取货须在联网时结账', [{ path: 'reservationId', message: 'not with offline' }]);
  if (input.offline) assertBilledAtInWindow(at, now);

  const [found, shift] = await Promise.all([replayOrPrice(deps, staff.merchantId, input, hash, at), shiftForSale(deps.db, input.storeId, input.deviceId, input.offline ? at : undefined)]);
  if ('replay' in found) return found.replay;
  const { priced, inputs } = found;
  const store = inputs.store;
  const r = priced.result;
  // Online, a different total means the counter's preview is stale: refuse, and it prices again.
  // Offline, the customer has already paid what the device showed: keep the
  // sale at the server's price, book the difference, and flag it for the owner.
  if (r.totalFen !== input.expectedTotalFen && !input.offline) {
    throw new AppError('price_mismatch', `应收金额已变化：服务器计算为 ${r.totalFen} 分，收银台显示 ${input.expectedTotalFen} 分，请刷新后重试`);
  }
  const collectedFen = input.offline ? input.expectedTotalFen : r.totalFen;
  const tenders = applyTenders(collectedFen, input.tenders);
  const earned = input.memberId ? earnPoints(r.totalFen, { earnPointsPerYuan: priced.settings.pointsPerYuan }, priced.pointsMultiplierBp) : 0;

  try {
    const view = await deps.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('orders')
        .values({
          id: orderId,
          merchant_id: staff.merchantId,
          store_id: input.storeId,
          staff_id: staff.staffId,
          member_id: input.memberId ?? null,
          channel: 'counter',
          status: 'paid',
          total_fen: r.totalFen,
          business_date: day,
          paid_at: at,
          client_order_id: input.clientOrderId,
          request_hash: hash,
          device_id: input.deviceId ?? null,
          offline: input.offline !== undefined,
          subtotal_list_fen: r.subtotalListFen,
          discount_fen: r.discountFen,
          points_redeemed: r.pointsRedeemed,
          points_fen: r.pointsFen,
          rounding_fen: r.roundingFen,
          points_earned: earned,
          cash_received_fen: tenders.cashReceivedFen,
          change_fen: tenders.changeFen,
          price_diff_fen: collectedFen - r.totalFen,
          pricing: JSON.stringify({ adjustments: r.adjustments, ruleNames: Object.fromEntries(priced.ruleNames), offlineReceiptNo: input.offline?.receiptNo ?? null }),
          // Only into a shift still open when the sale commits: one closed meanwhile leaves the sale for the day close to list.
          shift_id: shift.shiftId === null ? null : sql<string>`(select id from shifts where id = ${shift.shiftId} and status = 'open')`,
          shift_late: shift.late,
        })
        .onConflict((oc) => oc.constraint('orders_client_id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted) throw new ReplayRace();

      const lineRows = await trx
        .insertInto('order_lines')
        .values(orderLineRows(staff.merchantId, orderId, r.lines, priced.skus))
        .returningAll()
        .execute();
      const tenderRows =
        tenders.applied.length === 0
          ? []
          : await trx
              .insertInto('order_tenders')
              .values(tenders.applied.map((t, i) => ({ id: newId('tender'), merchant_id: staff.merchantId, order_id: orderId, store_id: input.storeId, method: t.method, amount_fen: t.amountFen, business_date: day, reference: t.reference, line_no: i })))
              .returning(['method', 'amount_fen', 'reference'])
              .execute();
      if (input.memberId && input.couponIds && input.couponIds.length > 0) {
        await useCoupons(trx, { merchantId: staff.merchantId, memberId: input.memberId, orderId, couponIds: input.couponIds, result: r, at: now });
      }
      await checkHandDiscount(trx, {
        staff,
        storeId: input.storeId,
        orderId,
        hand: handDiscountOf(r),
        code: input.discountApprovalCode,
        offline: input.offline !== undefined,
        now,
        reasons: handDiscountReasons(input),
      });
      const onAccount = tenders.applied.find((t) => t.method === 'account');
      if (onAccount && input.tradeCustomerId) {
        await openInvoiceForSale(trx, staff, { merchantId: staff.merchantId, storeId: input.storeId, customerId: input.tradeCustomerId, orderId, amountFen: onAccount.amountFen, saleDate: day, approvalId: input.creditApprovalId, now });
      }
      // Stored value (#17): drawn under the member's lock, so a second sale at once sees what this one left.
      const fromStoredValue = tenders.applied.find((t) => t.method === 'stored_value');
      if (fromStoredValue && input.memberId) {
        await spendStoredValue(trx, { merchantId: staff.merchantId, storeId: input.storeId, memberId: input.memberId, orderId, amountFen: fromStoredValue.amountFen, createdBy: staff.staffId, at });
      }
      if (input.memberId && r.pointsRedeemed > 0) {
        await postPoints(trx, { merchantId: staff.merchantId, memberId: input.memberId, delta: -r.pointsRedeemed, reason: 'redeem', refId: orderId, idempotencyKey: `redeem:${orderId}` });
      }
      if (input.memberId && earned > 0) {
        const posted = await postPoints(trx, { merchantId: staff.merchantId, memberId: input.memberId, delta: earned, reason: 'earn', refId: orderId, idempotencyKey: `earn:${orderId}`, multiplierBp: priced.pointsMultiplierBp });
        // The member hears of it as a shop order's member does (complete-order.ts), with their consent; a replayed posting queues nothing new.
        if (posted.created) {
          const data = pointsChangedData({ delta: earned, balance: posted.balance, reason: 'earn', at });
          await queueMemberMessage(trx, { merchantId: staff.merchantId, memberId: input.memberId, topic: 'points_changed', data, idempotencyKey: `points_changed:earn:${orderId}`, now: at });
        }
      }
      await postSale(trx, {
        merchantId: staff.merchantId,
        storeId: input.storeId,
        orderId,
        businessDate: day,
        occurredAt: at,
        subtotalListFen: r.subtotalListFen,
        discountFen: r.discountFen,
        pointsFen: r.pointsFen,
        roundingFen: r.roundingFen,
        tenders: tenders.applied,
        costFen: r.lines.reduce((s, l) => s + priced.skus.get(l.skuId)!.costFen * l.qty, 0),
        pointsEarnedValueFen: Math.floor(earned / priced.settings.redeemPointsPerFen),
        priceDiffFen: collectedFen - r.totalFen,
      });
      if (input.memberId) await upgradeLevel(trx, staff.merchantId, input.memberId, priced.settings.memberLevels, now);
      // A referred member's first paid purchase rewards the referral (老带新), in this same transaction.
      if (input.memberId) await rewardReferralOnPaidOrder(trx, { merchantId: staff.merchantId, memberId: input.memberId, orderId, businessDate: day, at });

      // The store's hot rows last: the reservation's holds end, then stock, then the receipt number.
      if (input.reservationId) {
        await pickUpInCheckout(trx, { merchantId: staff.merchantId, storeId: input.storeId, reservationId: input.reservationId, orderId, today: businessDate(now), at: now, by: staff.staffId });
      }
      const stock = await takeStock(trx, {
        merchantId: staff.merchantId,
        storeId: input.storeId,
        lines: r.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
        eventKey: `sale:${orderId}`,
        refId: orderId,
        createdBy: staff.staffId,
        allowNegative: input.offline !== undefined,
      });
      if (stock.negative.length > 0) await trx.updateTable('orders').set({ stock_flagged: true }).where('id', '=', orderId).execute();
      // The rollups and the receipt number in one prepared statement, as a settled payment writes them.
      const { receiptNo, receiptToken } = await assignReceiptNo(trx, store, day, orderId, saleRollupCtes(orderId));
      return toOrderView({ ...inserted, receipt_no: receiptNo, receipt_token: receiptToken, stock_flagged: stock.negative.length > 0 }, lineRows, tenderRows);
    });
    // A member's sale may have queued messages (points, stored value): send them now rather than at the next sweep.
    if (input.memberId) sendMessagesSoon(deps, staff.merchantId);
    return { order: view, replayed: false };
  } catch (e) {
    // Two copies of one checkout ran at once; the other one won, so answer as its replay.
    if (e instanceof ReplayRace || isUniqueViolation(e)) {
      const again = await findReplay(deps, staff.merchantId, input.clientOrderId, hash);
      if (again) return again;
    }
    throw e;
  }
}

/**
 * The replay check and the reads that price the order run together, before
 * the transaction, so the rows every sale of a store touches (stock levels,
 * the receipt counter) are locked only for the last statements before commit.
 * A replay wins over any error the pricing reads hit.
 */
/** An offline sale's time must be recent and not ahead of the server's clock (see the limits' reasons). */
function assertBilledAtInWindow(at: Date, now: Date): void {
  const age = now.getTime() - at.getTime();
  if (age > offline_billed_at_age_max_ms) {
    throw new AppError('validation_failed', `离线单开单时间超过 ${offline_billed_at_age_max_ms / 3_600_000} 小时（offline_billed_at_age_max_ms），请联系店长处理`, [{ path: 'offline.billedAt', message: 'too old' }]);
  }
  if (-age > offline_billed_at_skew_max_ms) {
    throw new AppError('validation_failed', '离线单开单时间晚于服务器时间，请校准手机时间', [{ path: 'offline.billedAt', message: 'in the future' }]);
  }
}

/**
 * The replay of an order already made, or its pricing now: the member's
 * level discount on every channel (the counter's preview and the shop's cart
 * price with it alike), points at the level's multiplier.
 */
export async function replayOrPrice(deps: Deps, merchantId: string, input: CheckoutRequest, hash: string, at: Date): Promise<{ replay: CheckoutResponse } | { priced: Priced; inputs: PricingInputs }> {
  const [replay, balance, inputs, coupons] = await Promise.allSettled([
    findReplay(deps, merchantId, input.clientOrderId, hash),
    memberAtSale(deps, merchantId, input),
    loadPricingInputs(deps.db, merchantId, input, at),
    couponsForOrder(deps.db, { merchantId, memberId: input.memberId, storeId: input.storeId, couponIds: input.couponIds ?? [], at }),
  ]);
  if (replay.status === 'rejected') throw replay.reason;
  if (replay.value) return { replay: replay.value };
  if (balance.status === 'rejected') throw balance.reason;
  if (inputs.status === 'rejected') throw inputs.reason;
  if (coupons.status === 'rejected') throw coupons.reason;
  return { priced: price(inputs.value, input, balance.value, coupons.value), inputs: inputs.value };
}

export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

export async function findReplay(deps: Deps, merchantId: string, clientOrderId: string, hash: string): Promise<CheckoutResponse | null> {
  const existing = await deps.db.selectFrom('orders').select(['id', 'request_hash']).where('merchant_id', '=', merchantId).where('client_order_id', '=', clientOrderId).executeTakeFirst();
  if (!existing) return null;
  if (existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `订单号 ${clientOrderId} 已用于另一笔不同的订单`);
  return { order: await orderViewById(deps.db, merchantId, existing.id), replayed: true };
}
