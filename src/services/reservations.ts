import type { CheckoutRequest, PricingContext } from '../../shared/api/orders';
import type { CreateReservationRequest, ReservationStatus, ReservationView } from '../../shared/api/reservations';
import { mainlandPhone, reservation_pickup_days_max } from '../../shared/api/reservations';
import type { MemberCard } from '../../shared/api/members';
import { priceOrder } from '../../shared/pricing/index';
import type { PricingResult } from '../../shared/pricing/types';
import { pricingInputFor, type CounterBill } from './counter-cart';

/**
 * The counter's reservations as plain data: the request a new reservation
 * sends, and the bill and checkout request a pickup sends. No Taro here.
 */

export const reservationStatusLabels: Record<ReservationStatus, string> = {
  active: '待取货',
  picked_up: '已取货',
  expired: '已过期',
  cancelled: '已取消',
};

/** YYYY-MM-DD plus whole days. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export interface ReservationDraft {
  reservationId: string;
  storeId: string;
  member: MemberCard | null;
  name: string;
  phone: string;
  pickupBy: string;
  note: string;
  bill: CounterBill;
}

/** The request for a new reservation, or the reason it cannot be sent yet. */
export function reservationRequestFor(d: ReservationDraft, today: string): { ok: true; request: CreateReservationRequest } | { ok: false; message: string } {
  if (d.bill.lines.length === 0) return { ok: false, message: '请先添加要预约的商品' };
  if (!d.member) {
    if (d.name.trim() === '') return { ok: false, message: '请填写顾客姓名，或先查找会员' };
    if (!mainlandPhone.safeParse(d.phone.trim()).success) return { ok: false, message: '请填写 11 位手机号' };
  }
  if (d.pickupBy < today || d.pickupBy > addDays(today, reservation_pickup_days_max)) return { ok: false, message: `取货日期须在今天起 ${reservation_pickup_days_max} 天内` };
  const request: CreateReservationRequest = {
    reservationId: d.reservationId,
    storeId: d.storeId,
    pickupBy: d.pickupBy,
    lines: d.bill.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
  };
  if (d.member) request.memberId = d.member.id;
  else {
    request.customerName = d.name.trim();
    request.customerPhone = d.phone.trim();
  }
  if (d.note.trim()) request.note = d.note.trim();
  return { ok: true, request };
}

/** A reservation's goods as a counter bill, to price for pickup. */
export function pickupBill(r: ReservationView): CounterBill {
  return {
    lines: r.lines.map((l) => ({ skuId: l.skuId, productId: '', categoryId: l.categoryId, ...(l.parentCategoryId ? { parentCategoryId: l.parentCategoryId } : {}), name: l.name, spec: l.spec, unit: '', barcode: '', retailPriceFen: l.retailPriceFen, memberPriceFen: l.memberPriceFen, qty: l.qty })),
  };
}

/** Prices a pickup the way the server will: member prices for a member's reservation, cash, the store's rules. */
export function pickupPrice(r: ReservationView, context: PricingContext | null): PricingResult {
  const input = pricingInputFor(pickupBill(r), context, { member: null, pointsToRedeem: 0, cashTender: true });
  if (r.memberId) input.member = { id: r.memberId, pointsBalance: 0 };
  return priceOrder(input);
}

/** The checkout that picks a reservation up, paid in cash to the exact amount. */
export function pickupCheckout(r: ReservationView, total: PricingResult, clientOrderId: string, deviceId: string): CheckoutRequest {
  return {
    clientOrderId,
    storeId: r.storeId,
    reservationId: r.id,
    ...(r.memberId ? { memberId: r.memberId } : {}),
    lines: r.lines.map((l) => ({ skuId: l.skuId, qty: l.qty })),
    tenders: total.totalFen > 0 ? [{ method: 'cash', amountFen: total.totalFen }] : [],
    expectedTotalFen: total.totalFen,
    deviceId,
  };
}
