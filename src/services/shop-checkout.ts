import type { ProductSummary } from '../../shared/api/catalog';
import type { PricingContext } from '../../shared/api/orders';
import type { ShopOrderRequest } from '../../shared/api/payments';
import type { Fen } from '../../shared/money';
import { isPricingError, priceOrder } from '../../shared/pricing/index';
import { levelBenefits, pricingLevelOf } from '../../shared/pricing/member-level';
import type { CouponRule, PricingInput } from '../../shared/pricing/types';
import type { Cart } from './cart';

export type ShopPricing = { ok: true; totalFen: Fen; subtotalFen: Fen; discountFen: Fen } | { ok: false; message: string };

/**
 * The shop's total priced with the shared engine the way the server prices a
 * self-service order: today's prices and member prices from the catalogue,
 * the store's promotions, the member's level discount (their level as /api/me
 * says it now), no 抹零 (that is for cash at the counter only).
 */
export function priceShopCart(cart: Cart, products: ReadonlyMap<string, ProductSummary>, context: PricingContext | null, member: { id: string; level: string } | null, coupon?: CouponRule): ShopPricing {
  const lines: PricingInput['lines'] = [];
  for (const l of cart.lines) {
    const product = products.get(l.productId);
    const sku = product?.skus.find((s) => s.id === l.skuId);
    if (!product || !sku) return { ok: false, message: `${l.name} 已下架，请从购物车删除后再结算` };
    lines.push({ skuId: sku.id, categoryId: product.categoryId, ...(product.parentCategoryId ? { parentCategoryId: product.parentCategoryId } : {}), qty: l.qty, retailPriceFen: sku.retailPriceFen, memberPriceFen: sku.memberPriceFen });
  }
  if (lines.length === 0) return { ok: false, message: '购物车是空的' };
  const input: PricingInput = {
    lines,
    bundles: (context?.bundles ?? []).map((b) => ({ id: b.id, ...(b.name ? { name: b.name } : {}), items: b.items, priceFen: b.priceFen })),
    discounts: context?.discounts,
    thresholds: (context?.thresholds ?? []).map((t) => ({
      id: t.id,
      ...(t.name ? { name: t.name } : {}),
      minSpendFen: t.minSpendFen,
      offFen: t.offFen,
      repeat: t.repeat,
      ...(t.capFen !== undefined ? { capFen: t.capFen } : {}),
      ...(t.scope ? { scope: { ...(t.scope.skuIds ? { skuIds: t.scope.skuIds } : {}), ...(t.scope.categoryIds ? { categoryIds: t.scope.categoryIds } : {}) } } : {}),
    })),
    cashRounding: context?.cashRounding ?? 'none',
    cashTender: false,
  };
  if (member) {
    const level = pricingLevelOf(levelBenefits(context?.memberLevels ?? [], member.level));
    input.member = { id: member.id, pointsBalance: 0, ...(level ? { level } : {}) };
  }
  if (member && coupon) input.coupons = [coupon];
  try {
    const r = priceOrder(input);
    return { ok: true, totalFen: r.totalFen, subtotalFen: r.subtotalListFen, discountFen: r.discountFen };
  } catch (e) {
    if (isPricingError(e)) return { ok: false, message: e.message };
    throw e;
  }
}

export function shopOrderRequestFor(cart: Cart, draft: { clientOrderId: string; storeId: string; expectedTotalFen: Fen; tableNo?: string | null; couponId?: string; storedValueFen?: Fen }): ShopOrderRequest {
  return {
    clientOrderId: draft.clientOrderId,
    storeId: draft.storeId,
    lines: cart.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
    expectedTotalFen: draft.expectedTotalFen,
    // The table of the QR the shopper scanned goes with the order, so the counter knows where to bring it.
    ...(draft.tableNo ? { tableNo: draft.tableNo } : {}),
    ...(draft.couponId ? { couponIds: [draft.couponId] } : {}),
    ...(draft.storedValueFen ? { storedValueFen: draft.storedValueFen } : {}),
  };
}

/** What the platform's payment sheet said. `unknown` means only the server can tell (ask it, never assume). */
export type PayOutcome = 'paid' | 'unknown' | 'cancelled' | 'failed';

/** Alipay my.tradePay result codes: 9000 paid; 8000 processing and 6004 unknown; 6001 the shopper closed the sheet. */
export function outcomeOfTradePay(resultCode: string | number | undefined): PayOutcome {
  switch (String(resultCode ?? '')) {
    case '9000':
      return 'paid';
    case '8000':
    case '6004':
      return 'unknown';
    case '6001':
      return 'cancelled';
    default:
      return 'failed';
  }
}

/** wx.requestPayment fails with `requestPayment:fail cancel` when the shopper closes the sheet. */
export function outcomeOfRequestPaymentError(errMsg: string | undefined): PayOutcome {
  return /cancel/i.test(errMsg ?? '') ? 'cancelled' : 'failed';
}

/** The shop order's status as the shopper reads it. */
export function shopOrderStatusText(status: string): string {
  switch (status) {
    case 'open':
      return '待支付';
    case 'paid':
    case 'completed':
      return '已支付';
    case 'cancelled':
    case 'expired':
      return '已取消';
    default:
      return status;
  }
}
