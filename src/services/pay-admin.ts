import type { z } from 'zod';
import type { refundView } from '../../shared/api/payments';

export type RefundView = z.infer<typeof refundView>;
export type RefundStatus = RefundView['status'];

const refundStatusNames: Readonly<Record<RefundStatus, string>> = {
  pending: '退款处理中',
  processing: '退款处理中',
  succeeded: '已退回',
  failed: '退款失败',
  abnormal: '退款异常',
  closed: '退款已关闭',
  to_cash: '已改为现金退款',
};

export function refundStatusText(status: RefundStatus): string {
  return refundStatusNames[status];
}

/** Still moving at the platform: the counter keeps asking. */
export function refundInFlight(status: RefundStatus): boolean {
  return status === 'pending' || status === 'processing';
}

/** Left for a manager: retry, or pay the customer in cash. */
export function refundNeedsAttention(status: RefundStatus): boolean {
  return status === 'failed' || status === 'abnormal' || status === 'closed';
}

/** What the counter tells the assistant about one platform refund. */
export function counterRefundLine(r: Pick<RefundView, 'channel' | 'status' | 'failure'>): string {
  const app = r.channel === 'wechat' ? '微信' : '支付宝';
  if (r.status === 'succeeded') return `已退回顾客${app}`;
  if (refundInFlight(r.status)) return `正在退回顾客${app}…`;
  if (r.status === 'to_cash') return '店长已改为现金退款';
  return `退回${app}未成功${r.failure?.message ? `（${r.failure.message}）` : ''}，已通知店长处理`;
}

const alertKinds: Readonly<Record<string, string>> = {
  amount_mismatch: '金额不符',
  refund_amount_mismatch: '退款金额不符',
  refund_failed: '退款失败',
  surplus_payment: '重复或多余的付款',
  trade_no_mismatch: '平台单号不符',
};

export function alertKindText(kind: string): string {
  return alertKinds[kind] ?? kind;
}

const events: Readonly<Record<string, string>> = {
  created: '发起收款',
  succeeded: '支付成功',
  failed: '支付失败',
  reversed: '超时撤销',
  amount_mismatch: '金额不符',
  refund_requested: '发起退款',
  refund_call_failed: '退款请求失败',
  refund_retry: '重试退款',
  refund_to_cash: '改为现金退款',
  closed: '交易已关闭',
  closed_at_platform: '在平台关闭交易',
  refund_succeeded: '退款成功',
  refund_failed: '退款失败',
  refund_closed: '退款已关闭',
  refund_abnormal: '退款异常',
  refund_processing: '退款处理中',
};

export function paymentEventText(event: string): string {
  return events[event] ?? event;
}

const sources: Readonly<Record<string, string>> = {
  code: '付款码',
  qr: '收款码',
  jsapi: '小程序',
  query: '主动查询',
  notify: '平台通知',
  return: '退货',
  timeout: '等待超时',
  job: '定时任务',
  dispatch: '发送退款',
  staff: '店员操作',
};

/** Where a payment event came from, in the owner's words. */
export function eventSourceText(source: string): string {
  return sources[source] ?? source;
}

const outcomes: Readonly<Record<string, string>> = {
  applied: '已入账',
  applied_surplus: '已入账（多余付款）',
  duplicate: '重复通知，已忽略',
  wrong_merchant: '不是本商户的通知',
  unknown_order: '找不到对应订单',
  unknown_refund: '找不到对应退款',
  amount_mismatch: '金额不符，已提醒店主',
  trade_no_mismatch: '平台单号不符，已提醒店主',
  still_pending: '尚未完成',
  closed: '交易已关闭',
  failed: '支付失败',
  already_final: '已是最终状态',
  too_large: '内容过大，已拒收',
  malformed: '格式错误，已拒收',
  bad_signature: '签名错误，已拒收',
  stale: '时间戳过期，已拒收',
  unknown_serial: '证书序列号未知，已拒收',
  bad_ciphertext: '解密失败，已拒收',
  error: '处理出错，平台会重发',
};

export function notificationOutcomeText(outcome: string): string {
  return outcomes[outcome] ?? outcome;
}

export type TrailTarget = { paymentId: string } | { orderId: string } | null;

/** Where an alert's subject leads: a payment or an order has a trail; a refund leads to its payment. */
export function trailTargetOf(subjectId: string | null, refunds: readonly Pick<RefundView, 'id' | 'paymentId'>[] = []): TrailTarget {
  if (!subjectId) return null;
  if (subjectId.startsWith('pay_')) return { paymentId: subjectId };
  if (subjectId.startsWith('ord_')) return { orderId: subjectId };
  if (subjectId.startsWith('rfd_')) {
    const refund = refunds.find((r) => r.id === subjectId);
    return refund ? { paymentId: refund.paymentId } : null;
  }
  return null;
}

export function trailUrl(target: NonNullable<TrailTarget>): string {
  return 'paymentId' in target ? `/pages/boss/payments/trail?paymentId=${target.paymentId}` : `/pages/boss/payments/trail?orderId=${target.orderId}`;
}

export const refund_cash_note_length_max = 200;

/** The note a manager gives when paying a refund in cash instead; the server checks the same bounds. */
export function cashNoteProblem(note: string): string | null {
  const n = note.trim();
  if (n === '') return '请写明现金退款的说明（例如：已当面退现金给顾客）';
  if (n.length > refund_cash_note_length_max) return `说明最多 ${refund_cash_note_length_max} 字（refund_cash_note_length_max）`;
  return null;
}

const shipping_outcomes: Readonly<Record<string, string>> = {
  uploaded: '已上传发货信息',
  already_shipped: '微信显示已发货',
  order_not_found: '微信暂未找到支付单（10060001），稍后重试',
  token_invalid: '接口凭证失效，已刷新后重试',
  network_error: '网络错误，稍后重试',
  failed: '上传失败',
};

/** An upload attempt of shipping information (发货信息), for the payment's trail. */
export function shippingOutcomeText(outcome: string): string {
  return shipping_outcomes[outcome] ?? outcome;
}

const shipping_triggers: Readonly<Record<string, string>> = { settled: '支付完成后', job: '定时重试', remind: '微信催发货' };

export function shippingTriggerText(trigger: string): string {
  return shipping_triggers[trigger] ?? trigger;
}

const shipping_events: Readonly<Record<string, string>> = {
  trade_manage_remind_access_api: '微信提醒接入发货信息管理',
  trade_manage_remind_shipping: '微信提醒尽快发货',
  trade_manage_order_settlement: '确认收货 / 资金结算',
};

/** A trade-management push from WeChat. */
export function shippingEventText(event: string): string {
  return shipping_events[event] ?? event;
}
