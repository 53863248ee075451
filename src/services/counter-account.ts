import type { CheckoutRequest, PricingContext } from '../../shared/api/orders';
import { formatFen, type Fen } from '../../shared/money';
import type { CounterBill } from './counter-cart';
import { atCustomerPrice } from '../../shared/credit/price-list';

/**
 * A sale on account (赊账) at the counter: the bill handed from the billing
 * screen, repriced with the trade customer's price list the way the server
 * reprices it, the credit check the counter warns with, and the request.
 * No Taro here.
 */

/** Sent by the 赊账 screen once the sale is made, so the billing screen clears that bill. */
export const counter_account_billed_event = 'counter:account-billed';

export interface CustomerSummary {
  id: string;
  name: string;
  contact: string;
  phone: string;
  creditLimitFen: Fen;
  balanceFen: Fen;
  availableFen: number;
  termsDays: number;
  active: boolean;
}

export interface HandedBill {
  bill: CounterBill;
  storeId: string;
  context: PricingContext | null;
}

// The billing screen stays open under the 赊账 screen, so the bill is handed over in memory.
let handed: HandedBill | null = null;

export function handOverBill(h: HandedBill): void {
  handed = h;
}

export function handedBill(): HandedBill | null {
  return handed;
}

export function forgetHandedBill(): void {
  handed = null;
}

/** Active customers whose name, contact or phone holds every typed word; all active ones when nothing is typed. */
export function matchCustomers<C extends Pick<CustomerSummary, 'name' | 'contact' | 'phone' | 'active'>>(items: readonly C[], typed: string): C[] {
  const words = typed.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((c) => c.active && words.every((w) => `${c.name} ${c.contact} ${c.phone}`.toLowerCase().includes(w)));
}

/**
 * The bill at the customer's prices, by the rule checkout uses (`atCustomerPrice`).
 */
export function billAtCustomerPrices(bill: CounterBill, prices: readonly { skuId: string; priceFen: Fen }[]): CounterBill {
  const listed = new Map(prices.map((p) => [p.skuId, p.priceFen]));
  return {
    ...bill,
    lines: bill.lines.map((l) => atCustomerPrice(l, listed.get(l.skuId))),
  };
}

export interface CreditCheck {
  /** Limit less what is owed now; negative when already over. */
  availableFen: number;
  /** What would be left after this sale; negative when the sale goes over. */
  leftAfterFen: number;
  /** How far the sale goes past the limit; 0 within it. */
  overByFen: Fen;
  /** What the customer would owe after this sale: the least a manager's approval must cover is the sale itself. */
  owedAfterFen: Fen;
}

/** The same comparison the server makes: owed now plus this sale against the limit, reaching it exactly is within. */
export function creditCheck(customer: Pick<CustomerSummary, 'creditLimitFen' | 'balanceFen'>, saleFen: Fen): CreditCheck {
  const availableFen = customer.creditLimitFen - customer.balanceFen;
  const owedAfterFen = customer.balanceFen + saleFen;
  const leftAfterFen = customer.creditLimitFen - owedAfterFen;
  return { availableFen, leftAfterFen, overByFen: Math.max(0, -leftAfterFen), owedAfterFen };
}

export interface AccountDraft {
  clientOrderId: string;
  storeId: string;
  deviceId: string;
  customerId: string;
  totalFen: Fen;
  approvalId: string | null;
}

/** The whole amount goes on the account; nothing is left to pay when discounts cover it all. */
export function accountCheckoutRequest(bill: CounterBill, d: AccountDraft): CheckoutRequest {
  return {
    clientOrderId: d.clientOrderId,
    storeId: d.storeId,
    lines: bill.lines.map((l) => ({ skuId: l.skuId, qty: l.qty, ...(l.discount ? { discount: l.discount } : {}) })),
    tenders: d.totalFen > 0 ? [{ method: 'account', amountFen: d.totalFen }] : [],
    expectedTotalFen: d.totalFen,
    deviceId: d.deviceId,
    tradeCustomerId: d.customerId,
    ...(bill.orderDiscount ? { orderDiscount: bill.orderDiscount } : {}),
    ...(d.approvalId ? { creditApprovalId: d.approvalId } : {}),
  };
}

const approval_pattern = /^(?:CAP_?)?([0-9A-HJKMNP-TV-Z]{26})$/;

/**
 * A manager's approval number as typed, pasted or scanned: spaces and dashes
 * dropped, any case, with or without its `cap_` prefix. Null when it cannot
 * be one.
 */
export function parseApprovalId(text: string): string | null {
  const m = approval_pattern.exec(text.replace(/[\s-]/g, '').toUpperCase());
  return m ? `cap_${m[1]}` : null;
}

/** The approval number in groups of four after its prefix, easier to read out and to check. */
export function approvalIdGroups(id: string): string {
  const body = id.replace(/^cap_/, '');
  return `cap_ ${body.replace(/(.{4})(?=.)/g, '$1 ')}`;
}

/** "-¥4.00" for what is past the limit, rather than "¥-4.00". */
export function signedFen(fen: number): string {
  const yuan = formatFen(Math.abs(fen));
  return fen < 0 ? `-${yuan}` : yuan;
}
