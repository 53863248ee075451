import { messageTime } from './payload.js';

/**
 * The values of each topic's message as `queueMemberMessage` wants them
 * (shared/api/messages.ts `topic_fields`), built from what the caller knows,
 * so every caller of a topic says it the same way.
 */

/** What a points movement is called in a message, by the points ledger's reason. */
export const points_reason_titles: Record<string, string> = {
  earn: '消费获得',
  redeem: '积分抵扣',
  redeem_cancel: '抵扣退回',
  clawback: '退货扣回',
  refund_redeem: '退货退回',
  adjust: '积分调整',
  opening_balance: '期初积分',
};

export function pointsChangedData(p: { delta: number; balance: number; reason: string; at: Date }): Record<string, string> {
  const reason = points_reason_titles[p.reason] ?? p.reason;
  return { change: `${reason} ${Math.abs(p.delta)} 积分`, points: String(Math.abs(p.delta)), balance: String(p.balance), reason, time: messageTime(p.at) };
}

export function pickupReadyData(p: { pickupCode: string; storeName: string; goods: string; at: Date }): Record<string, string> {
  return { pickupCode: p.pickupCode, storeName: p.storeName, goods: p.goods, time: messageTime(p.at) };
}

/** Fen as `12.34元`, the form WeChat's `amount` keyword takes. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}元`;
}

export function storedValueChangedData(p: { deltaFen: number; balanceFen: number; reason: string; at: Date }): Record<string, string> {
  return { change: `${p.reason} ${yuanText(Math.abs(p.deltaFen))}`, amount: yuanText(Math.abs(p.deltaFen)), balance: yuanText(p.balanceFen), reason: p.reason, time: messageTime(p.at) };
}

export function couponExpiringData(p: { couponName: string; expiresAt: Date; shopName: string }): Record<string, string> {
  return { couponName: p.couponName, expiresAt: messageTime(p.expiresAt), shopName: p.shopName, note: '优惠券即将到期，请尽快使用' };
}
