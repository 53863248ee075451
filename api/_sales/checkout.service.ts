import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema';
import { AppError } from '../_http/errors';
import type { StaffPrincipal } from '../_http/context';
import { assertStoreAccess } from '../_http/store-access';
import { requestHash } from '../_http/idempotency';
import type { Deps } from '../_runtime/deps';
import { businessDate } from '../_runtime/clock';
import { takeStock } from '../_stock/take';
import { postPoints } from '../_members/points.repository';
import { upgradeLevel } from '../_members/members.service';
import { pointsBalance } from '../_identity/identity.repository';
import type { CheckoutRequest, CheckoutResponse } from '../../shared/api/orders';
import { priceOrder, isPricingError } from '../../shared/pricing';
import type { PricingResult } from '../../shared/pricing/types';
import { earnPoints } from '../../shared/points';
import { newId } from '../../shared/ids';
import { activePromotions, skusForSale, type SaleSku } from './catalog-for-sale';
import { sellingSettings, type SellingSettings } from './settings';
import { applyTenders } from './tenders';
import { nextReceiptNo } from './receipt-numbers';
import { postSale } from './sale-journal';
import { orderViewById } from './order-view';

interface Priced {
  result: PricingResult;
  skus: Map<string, SaleSku>;
  ruleNames: Map<string, string>;
  settings: SellingSettings;
}

/** Prices an order the way the counter previewed it, from the database's prices and rules only. */
async function price(trx: Kysely<DB> | Transaction<DB>, merchantId: string, input: CheckoutRequest, at: Date, memberBalance: number | null): Promise<Priced> {
  const [skus, settings, promos] = await Promise.all([
    skusForSale(trx, merchantId, input.lines.map((l) => l.skuId)),
    sellingSettings(trx, merchantId, input.storeId),
    activePromotions(trx, merchantId, input.storeId, at),
  ]);
  try {
    const result = priceOrder({
      lines: input.lines.map((l) => {
        const sku = skus.get(l.skuId)!;
        return {
          skuId: sku.id,
          categoryId: sku.categoryId,
          qty: l.qty,
          retailPriceFen: sku.retailPriceFen,
          memberPriceFen: sku.memberPriceFen,
          ...(l.discount ? { discount: l.discount } : {}),
        };
      }),
      ...(input.memberId && memberBalance !== null ? { member: { id: input.memberId, pointsBalance: memberBalance } } : {}),
      bundles: promos.bundles,
      thresholds: promos.thresholds,
      ...(input.orderDiscount ? { orderDiscount: input.orderDiscount } : {}),
      ...(input.pointsToRedeem ? { points: { requested: input.pointsToRedeem, rules: { redeemPointsPerFen: settings.redeemPointsPerFen, redeemCapBp: settings.pointsRedeemCapBp } } } : {}),
      cashRounding: settings.cashRounding,
      cashTender: input.tenders.some((t) => t.method === 'cash'),
    });
    return { result, skus, ruleNames: promos.names, settings };
  } catch (e) {
    if (isPricingError(e)) throw new AppError('validation_failed', e.message, [{ path: e.path ?? '(order)', message: e.code }]);
    throw e;
  }
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
  const hash = requestHash(input);
  const replay = await findReplay(deps, staff.merchantId, input.clientOrderId, hash);
  if (replay) return replay;

  const now = deps.clock();
  const at = input.offline ? new Date(input.offline.billedAt) : now;
  const day = businessDate(at);
  const orderId = input.clientOrderId;

  // Reads that price the order happen before the transaction, so the rows
  // every sale of a store touches (stock levels, the receipt counter) are
  // locked only for the last few statements before commit.
  const store = await deps.db.selectFrom('stores').select(['id', 'code']).where('id', '=', input.storeId).executeTakeFirstOrThrow();
  let balance: number | null = null;
  if (input.memberId) {
    const member = await deps.db.selectFrom('members').select('id').where('id', '=', input.memberId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!member) throw new AppError('not_found', '找不到这位会员');
    balance = await pointsBalance(deps.db, input.memberId);
  } else if (input.pointsToRedeem) {
    throw new AppError('validation_failed', '积分抵扣需要先选会员');
  }
  const priced = await price(deps.db, staff.merchantId, input, at, balance);
  const r = priced.result;
  // Online, a different total means the counter's preview is stale: refuse, and it prices again.
  // Offline, the customer has already paid what the device showed: keep the
  // sale at the server's price, book the difference, and flag it for the owner.
  if (r.totalFen !== input.expectedTotalFen && !input.offline) {
    throw new AppError('price_mismatch', `应收金额已变化：服务器计算为 ${r.totalFen} 分，收银台显示 ${input.expectedTotalFen} 分，请刷新后重试`);
  }
  const collectedFen = input.offline ? input.expectedTotalFen : r.totalFen;
  const tenders = applyTenders(collectedFen, input.tenders);
  const earned = input.memberId ? earnPoints(r.totalFen, { earnPointsPerYuan: priced.settings.pointsPerYuan }) : 0;

  try {
    await deps.db.transaction().execute(async (trx) => {
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
        })
        .onConflict((oc) => oc.constraint('orders_client_id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw new ReplayRace();

      await trx
        .insertInto('order_lines')
        .values(
          r.lines.map((l) => {
            const sku = priced.skus.get(l.skuId)!;
            return {
              id: newId('order'),
              merchant_id: staff.merchantId,
              order_id: orderId,
              line_index: l.lineIndex,
              sku_id: l.skuId,
              product_name: sku.productName,
              spec: sku.spec,
              category_id: sku.categoryId,
              qty: l.qty,
              unit_list_fen: l.unitListFen,
              list_fen: l.listFen,
              net_fen: l.netFen,
              cost_fen: sku.costFen * l.qty,
              adjustments: JSON.stringify(l.adjustments),
            };
          }),
        )
        .execute();
      if (tenders.applied.length > 0) {
        await trx
          .insertInto('order_tenders')
          .values(tenders.applied.map((t, i) => ({ id: newId('order'), merchant_id: staff.merchantId, order_id: orderId, store_id: input.storeId, method: t.method, amount_fen: t.amountFen, business_date: day, reference: t.reference, line_no: i })))
          .execute();
      }
      if (input.memberId && r.pointsRedeemed > 0) {
        await postPoints(trx, { merchantId: staff.merchantId, memberId: input.memberId, delta: -r.pointsRedeemed, reason: 'redeem', refId: orderId, idempotencyKey: `redeem:${orderId}` });
      }
      if (input.memberId && earned > 0) {
        await postPoints(trx, { merchantId: staff.merchantId, memberId: input.memberId, delta: earned, reason: 'earn', refId: orderId, idempotencyKey: `earn:${orderId}` });
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
      if (input.memberId) await upgradeLevel(trx, staff.merchantId, input.memberId, priced.settings.memberLevels);

      // The store's hot rows last: stock, then the receipt number.
      const stock = await takeStock(trx, {
        merchantId: staff.merchantId,
        storeId: input.storeId,
        lines: r.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
        eventKey: `sale:${orderId}`,
        refId: orderId,
        createdBy: staff.staffId,
        allowNegative: input.offline !== undefined,
      });
      const receiptNo = await nextReceiptNo(trx, store, day);
      await trx.updateTable('orders').set({ receipt_no: receiptNo, stock_flagged: stock.negative.length > 0 }).where('id', '=', orderId).execute();
    });
  } catch (e) {
    // Two copies of one checkout ran at once; the other one won, so answer as its replay.
    if (e instanceof ReplayRace || isUniqueViolation(e)) {
      const again = await findReplay(deps, staff.merchantId, input.clientOrderId, hash);
      if (again) return again;
    }
    throw e;
  }
  return { order: await orderViewById(deps.db, staff.merchantId, orderId), replayed: false };
}

class ReplayRace extends Error {}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

async function findReplay(deps: Deps, merchantId: string, clientOrderId: string, hash: string): Promise<CheckoutResponse | null> {
  const existing = await deps.db.selectFrom('orders').select(['id', 'request_hash']).where('merchant_id', '=', merchantId).where('client_order_id', '=', clientOrderId).executeTakeFirst();
  if (!existing) return null;
  if (existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `订单号 ${clientOrderId} 已用于另一笔不同的订单`);
  return { order: await orderViewById(deps.db, merchantId, existing.id), replayed: true };
}
