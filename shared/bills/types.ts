/**
 * One line of a platform's daily trade bill, in our terms. Payments and
 * refunds are separate lines on both platforms; `outNo` is our own number for
 * the record the line is about (out_trade_no or out_refund_no).
 */
export interface BillLine {
  kind: 'payment' | 'refund';
  outNo: string;
  /** The payment's out_trade_no (for a refund line, the payment it returns). */
  outTradeNo: string;
  platformNo: string;
  occurredAt: Date;
  /** Always positive: the payment's amount or the refund's amount, in fen. */
  amountFen: number;
  /** The platform's word: WeChat SUCCESS/REVOKED, refund SUCCESS/PROCESSING/FAIL/CHANGE; Alipay rows are SUCCESS. */
  status: string;
  /** The fee on this line in thousandths of a fen (WeChat prints 5 decimals of a yuan); negative when returned on a refund. */
  feeMilliFen: number;
}

/** What the bill says about itself, checked against its lines. */
export interface BillTotals {
  lines: number;
  payments: number;
  refunds: number;
  paymentFen: number;
  refundFen: number;
  feeMilliFen: number;
}

export type BillChannel = 'wechat' | 'alipay';
