import { z } from 'zod';
import { fen, idOf } from './common.js';

/** Limits of the credit module; messages name them. */
export const trade_customer_name_length_max = 64;
export const trade_customer_terms_days_max = 365;
export const trade_customer_prices_max = 500;
export const receipt_allocations_max = 50;
export const credit_approval_minutes = 15;
export const credit_approval_note_length_max = 200;
export const statement_days_max = 366;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const priceListEntry = z.strictObject({ skuId: idOf('sku'), priceFen: fen.min(0) });

export const tradeCustomerRequest = z.strictObject({
  name: z.string().trim().min(1).max(trade_customer_name_length_max),
  contact: z.string().trim().max(64).optional(),
  phone: z.string().trim().max(32).optional(),
  creditLimitFen: fen.min(0),
  termsDays: z.number().int().min(0).max(trade_customer_terms_days_max),
  /** The whole price list; a SKU left out is sold at retail. */
  prices: z.array(priceListEntry).max(trade_customer_prices_max).optional(),
  active: z.boolean().optional(),
});
export type TradeCustomerRequest = z.infer<typeof tradeCustomerRequest>;

export const agingView = z.object({ current: fen, d1_30: fen, d31_60: fen, d61_90: fen, d90_plus: fen, totalFen: fen });

export const tradeCustomerView = z.object({
  id: z.string(),
  name: z.string(),
  contact: z.string(),
  phone: z.string(),
  creditLimitFen: fen,
  termsDays: z.number().int(),
  active: z.boolean(),
  balanceFen: fen,
  availableFen: z.number().int(),
  aging: agingView,
  rating: z.enum(['A', 'B', 'C', 'D', 'new']),
  prices: z.array(z.object({ skuId: z.string(), priceFen: fen, name: z.string(), retailPriceFen: fen })),
});
export type TradeCustomerView = z.infer<typeof tradeCustomerView>;
export const tradeCustomersResponse = z.object({ items: z.array(tradeCustomerView.omit({ prices: true })) });
export const tradeCustomerResponse = z.object({ customer: tradeCustomerView });

/** A manager's consent for one sale above the customer's credit limit. */
export const creditApprovalRequest = z.strictObject({
  storeId: idOf('sto'),
  maxFen: fen.min(1),
  note: z.string().trim().min(1).max(credit_approval_note_length_max),
});
export const creditApprovalResponse = z.object({ id: z.string(), customerId: z.string(), maxFen: fen, expiresAt: z.string(), approvedBy: z.string() });

export const receiptRequest = z.strictObject({
  /** Made by the client; a retry with the same id returns the first receipt. */
  clientReceiptId: idOf('rcp'),
  storeId: idOf('sto'),
  method: z.enum(['cash', 'bank']),
  amountFen: fen.min(1),
  reference: z.string().trim().min(1).max(64).optional(),
  /** Named invoices and how much of the receipt goes to each; left out, the oldest due are paid first. */
  allocations: z.array(z.strictObject({ invoiceId: idOf('ivc'), amountFen: fen.min(1) })).min(1).max(receipt_allocations_max).optional(),
});
export type ReceiptRequest = z.infer<typeof receiptRequest>;

export const receiptView = z.object({
  id: z.string(),
  customerId: z.string(),
  method: z.string(),
  amountFen: fen,
  businessDate: z.string(),
  allocations: z.array(z.object({ invoiceId: z.string(), amountFen: fen })),
});
export const receiptResponse = z.object({ receipt: receiptView, replayed: z.boolean() });

export const invoiceView = z.object({
  id: z.string(),
  orderId: z.string(),
  receiptNo: z.string().nullable(),
  issuedDate: z.string(),
  dueDate: z.string(),
  amountFen: fen,
  paidFen: fen,
  returnedFen: fen,
  balanceFen: fen,
  daysOverdue: z.number().int(),
});
export const invoicesResponse = z.object({ items: z.array(invoiceView) });

export const statementQuery = z.strictObject({ from: day, to: day });
export const statementResponse = z.object({
  customerId: z.string(),
  from: z.string(),
  to: z.string(),
  openingFen: fen,
  lines: z.array(z.object({ date: z.string(), kind: z.enum(['invoice', 'return', 'receipt']), ref: z.string(), debitFen: fen, creditFen: fen, balanceFen: fen })),
  invoicedFen: fen,
  returnedFen: fen,
  receivedFen: fen,
  closingFen: fen,
  aging: agingView,
  /** receivables at `to` ÷ credit sales in the period × days in the period; null without credit sales. */
  dsoDays: z.number().int().nullable(),
  rating: z.object({ rating: z.enum(['A', 'B', 'C', 'D', 'new']), dueCount: z.number().int(), onTimeBp: z.number().int(), avgDaysLate: z.number().int(), maxOpenDaysOverdue: z.number().int() }),
});
export type StatementResponse = z.infer<typeof statementResponse>;

export const overdueResponse = z.object({
  asOf: z.string(),
  items: z.array(z.object({ customerId: z.string(), customerName: z.string(), phone: z.string(), invoiceId: z.string(), dueDate: z.string(), daysOverdue: z.number().int(), balanceFen: fen })),
  totalFen: fen,
});
