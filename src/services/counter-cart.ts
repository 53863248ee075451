import type { ProductSummary, SkuSummary } from '../../shared/api/catalog';
import { adjustmentLabel, lineLevelKinds } from '../../shared/pricing/labels';
import { levelBenefits, pricingLevelOf } from '../../shared/pricing/member-level';
import type { MemberCard } from '../../shared/api/members';
import { checkout_line_qty_max, checkout_lines_max, discount_reason_length_max, type CheckoutRequest, type PricingContext } from '../../shared/api/orders';
import type { Fen } from '../../shared/money';
import type { AdjustmentSource, CouponRule, Discount, PricingInput, PricingResult } from '../../shared/pricing/types';

/**
 * The counter's bill as plain data, and everything derived from it: the
 * pricing engine's input (the same engine the server runs), the labels of the
 * preview, the checkout request and the change. No Taro here.
 */

export interface CounterLine {
  skuId: string;
  productId: string;
  categoryId: string;
  /** The top-level category categoryId sits under, for a child category: a promotion on the parent covers the line. */
  parentCategoryId?: string;
  name: string;
  /** "白色 / M"; empty for a single-SKU product. */
  spec: string;
  unit: string;
  barcode: string;
  retailPriceFen: Fen;
  memberPriceFen: Fen;
  qty: number;
  discount?: Discount;
}

export interface CounterBill {
  lines: CounterLine[];
  /** 整单优惠: taken off the whole order after promotions, within the assistant's hand-discount limit or with a manager's code. */
  orderDiscount?: Discount;
}

export const emptyBill: CounterBill = { lines: [] };

export function specText(spec: Readonly<Record<string, string>>): string {
  return Object.values(spec).join(' / ');
}

export function lineFor(product: ProductSummary, sku: SkuSummary): Omit<CounterLine, 'qty'> {
  return {
    skuId: sku.id,
    productId: product.id,
    categoryId: product.categoryId,
    ...(product.parentCategoryId ? { parentCategoryId: product.parentCategoryId } : {}),
    name: product.name,
    spec: specText(sku.spec),
    unit: product.unit,
    barcode: sku.barcode,
    retailPriceFen: sku.retailPriceFen,
    memberPriceFen: sku.memberPriceFen,
  };
}

/** Adds one unit; a SKU already on the bill gets one more. Past the line limit nothing is added. */
export function addToBill(bill: CounterBill, line: Omit<CounterLine, 'qty'>, qty = 1): CounterBill {
  const existing = bill.lines.find((l) => l.skuId === line.skuId);
  if (existing) return setLineQty(bill, line.skuId, existing.qty + qty);
  if (bill.lines.length >= checkout_lines_max) return bill;
  return { ...bill, lines: [...bill.lines, { ...line, qty: clampQty(qty) }] };
}

/** Zero or less removes the line; removing the last line also drops the order discount, as there is no order left to discount. */
export function setLineQty(bill: CounterBill, skuId: string, qty: number): CounterBill {
  if (qty <= 0) {
    const lines = bill.lines.filter((l) => l.skuId !== skuId);
    return lines.length === 0 ? { lines } : { ...bill, lines };
  }
  return { ...bill, lines: bill.lines.map((l) => (l.skuId === skuId ? { ...l, qty: clampQty(qty) } : l)) };
}

/** Sets or (with `undefined`) removes the 整单优惠. */
export function setOrderDiscount(bill: CounterBill, discount: Discount | undefined): CounterBill {
  const { orderDiscount: _old, ...rest } = bill;
  return discount ? { ...rest, orderDiscount: discount } : rest;
}

export function setLineDiscount(bill: CounterBill, skuId: string, discount: Discount | undefined): CounterBill {
  return {
    ...bill,
    lines: bill.lines.map((l) => {
      if (l.skuId !== skuId) return l;
      const { discount: _old, ...rest } = l;
      return discount ? { ...rest, discount } : rest;
    }),
  };
}

function clampQty(qty: number): number {
  return Math.min(checkout_line_qty_max, Math.max(1, Math.floor(qty)));
}

export function billCount(bill: CounterBill): number {
  return bill.lines.reduce((sum, l) => sum + l.qty, 0);
}

export type DiscountEntry = { kind: 'percent_off'; percent: string; reason: string } | { kind: 'amount_off'; yuan: string; reason: string };

/**
 * Reads the assistant's discount entry: "20" percent off (八折) or an amount
 * in yuan, and a reason. Returns the discount or a message to show.
 */
export function parseDiscount(entry: DiscountEntry): { ok: true; discount: Discount } | { ok: false; message: string } {
  const reason = entry.reason.trim();
  if (reason === '') return { ok: false, message: '请填写优惠原因' };
  if (reason.length > discount_reason_length_max) return { ok: false, message: `原因最多 ${discount_reason_length_max} 个字` };
  if (entry.kind === 'percent_off') {
    const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(entry.percent.trim());
    const bp = m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : NaN;
    if (!Number.isInteger(bp) || bp < 1 || bp > 10_000) return { ok: false, message: '折扣比例须在 0.01% 到 100% 之间' };
    return { ok: true, discount: { kind: 'percent_off', bp, reason } };
  }
  const fen = yuanInputToFen(entry.yuan);
  if (fen === null || fen < 1) return { ok: false, message: '请输入优惠金额（元）' };
  return { ok: true, discount: { kind: 'amount_off', fen, reason } };
}

/** "12", "12.3", "12.34" → fen; anything else (or more than 8 digits of yuan) → null. */
export function yuanInputToFen(text: string): Fen | null {
  const m = /^(\d{1,8})(?:\.(\d{0,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export interface BillOptions {
  member: MemberCard | null;
  pointsToRedeem: number;
  /** The counter takes cash only for now, so 抹零 applies; kept explicit to match the server's rule. */
  cashTender: boolean;
  /** The member's coupon chosen for this bill, in the engine's shape as the server sent it. */
  coupon?: CouponRule | null;
}

/** The engine's input, built the way the server builds it from its own prices and rules. */
export function pricingInputFor(bill: CounterBill, context: PricingContext | null, options: BillOptions): PricingInput {
  const input: PricingInput = {
    lines: bill.lines.map((l) => ({
      skuId: l.skuId,
      categoryId: l.categoryId,
      ...(l.parentCategoryId ? { parentCategoryId: l.parentCategoryId } : {}),
      qty: l.qty,
      retailPriceFen: l.retailPriceFen,
      memberPriceFen: l.memberPriceFen,
      ...(l.discount ? { discount: l.discount } : {}),
    })),
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
    cashTender: options.cashTender,
  };
  if (bill.orderDiscount) input.orderDiscount = bill.orderDiscount;
  if (options.member) {
    // The counter bills with the level discount, as checkout does (api/_sales/checkout.service.ts).
    const level = pricingLevelOf(levelBenefits(context?.memberLevels ?? [], options.member.level));
    input.member = { id: options.member.id, pointsBalance: options.member.points, ...(level ? { level } : {}) };
  }
  if (options.member && options.coupon) input.coupons = [options.coupon];
  if (options.member && options.pointsToRedeem > 0 && context) {
    input.points = { requested: options.pointsToRedeem, rules: { redeemPointsPerFen: context.redeemPointsPerFen, redeemCapBp: context.redeemCapBp } };
  }
  return input;
}

/** Adjustments that belong to one line only; the rest are order-level, shown once below the lines. */
export const line_level_kinds = lineLevelKinds;

export function ruleNamesOf(context: PricingContext | null): Map<string, string> {
  const names = new Map<string, string>();
  for (const b of context?.bundles ?? []) if (b.name) names.set(b.id, b.name);
  for (const d of context?.discounts ?? []) if (d.name) names.set(d.id, d.name);
  for (const t of context?.thresholds ?? []) if (t.name) names.set(t.id, t.name);
  return names;
}

export { adjustmentLabel };

export interface PreviewRow {
  kind: AdjustmentSource['kind'];
  label: string;
  /** Taken off, positive. */
  fen: Fen;
}

export interface PreviewLine {
  skuId: string;
  listFen: Fen;
  /** What is left after the line's own adjustments (member price, line discount). */
  afterLineFen: Fen;
  rows: PreviewRow[];
}

export interface Preview {
  lines: PreviewLine[];
  orderRows: PreviewRow[];
  subtotalFen: Fen;
  discountFen: Fen;
  totalFen: Fen;
  pointsRedeemed: number;
}

export function previewOf(result: PricingResult, ruleNames: ReadonlyMap<string, string>): Preview {
  return {
    lines: result.lines.map((l) => {
      const own = l.adjustments.filter((a) => line_level_kinds.has(a.source.kind));
      return {
        skuId: l.skuId,
        listFen: l.listFen,
        afterLineFen: l.listFen - own.reduce((s, a) => s + a.fen, 0),
        rows: own.map((a) => ({ kind: a.source.kind, label: adjustmentLabel(a.source, ruleNames), fen: a.fen })),
      };
    }),
    orderRows: result.adjustments.map((a) => ({
      kind: a.source.kind,
      label: a.source.kind === 'points' ? `${adjustmentLabel(a.source, ruleNames)}(${result.pointsRedeemed}分)` : adjustmentLabel(a.source, ruleNames),
      fen: a.fen,
    })),
    subtotalFen: result.subtotalListFen,
    discountFen: result.discountFen,
    totalFen: result.totalFen,
    pointsRedeemed: result.pointsRedeemed,
  };
}

export interface CheckoutDraft {
  clientOrderId: string;
  storeId: string;
  deviceId: string;
  member: MemberCard | null;
  pointsToRedeem: number;
  /** What the customer handed over; the server gives back the difference. */
  cashReceivedFen: Fen;
  expectedTotalFen: Fen;
  /** The tenders chosen at the counter (card, e-CNY, a split with cash); without them the bill is paid in cash. */
  tenders?: CheckoutRequest['tenders'];
  /** A manager's code for a hand discount above the assistant's limit. */
  discountApprovalCode?: string;
  /** The member's coupon used on this bill. */
  couponId?: string | null;
}

export function checkoutRequestFor(bill: CounterBill, draft: CheckoutDraft): CheckoutRequest {
  const request: CheckoutRequest = {
    clientOrderId: draft.clientOrderId,
    storeId: draft.storeId,
    lines: bill.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, ...(l.discount ? { discount: l.discount } : {}) })),
    tenders: draft.tenders ?? (draft.expectedTotalFen > 0 ? [{ method: 'cash', amountFen: draft.cashReceivedFen }] : []),
    expectedTotalFen: draft.expectedTotalFen,
    deviceId: draft.deviceId,
  };
  if (bill.orderDiscount) request.orderDiscount = bill.orderDiscount;
  if (draft.member) request.memberId = draft.member.id;
  if (draft.member && draft.pointsToRedeem > 0) request.pointsToRedeem = draft.pointsToRedeem;
  if (draft.member && draft.couponId) request.couponIds = [draft.couponId];
  if (draft.discountApprovalCode) request.discountApprovalCode = draft.discountApprovalCode;
  return request;
}

/** Change due, or null while the cash received does not cover the total. */
export function changeFen(totalFen: Fen, receivedFen: Fen): Fen | null {
  return receivedFen >= totalFen ? receivedFen - totalFen : null;
}

export const cash_quick_notes_max = 4;
const note_steps_fen = [1000, 2000, 5000, 10000] as const;

/** The exact amount, then the next round sums a customer is likely to hand over (¥37.50 → 37.50, 40, 50, 100). */
export function cashQuickNotes(totalFen: Fen): Fen[] {
  const notes: Fen[] = totalFen > 0 ? [totalFen] : [];
  for (const step of note_steps_fen) {
    const up = Math.ceil(totalFen / step) * step;
    const next = up === totalFen ? up + step : up;
    if (next > 0 && !notes.includes(next)) notes.push(next);
  }
  return notes.sort((a, b) => a - b).slice(0, cash_quick_notes_max);
}
