import { z } from 'zod';
import { idOf, name_length_max } from './common.js';

export const phone = z.string().regex(/^1[3-9]\d{9}$/, '手机号应为 11 位');

/** The member code (会员码) the member centre shows: `GM1:<member id>:<minute window>:<MAC>`, rotating every window. */
export const member_code_prefix = 'GM1';
export const member_code_window_seconds = 60;
export const member_code_chars_max = 80;
export const memberCodeText = z.string().max(member_code_chars_max).regex(/^GM1:mbr_[0-9A-HJKMNP-TV-Z]{26}:\d{1,12}:[A-Za-z0-9_-]{16}$/, '会员码格式不对');

/** Whether scanned text is a member code rather than a phone or an id. */
export function looksLikeMemberCode(text: string): boolean {
  return text.startsWith(`${member_code_prefix}:`);
}

export const memberLookupQuery = z.strictObject({
  phone: phone.optional(),
  /** The bare member id: kept for the counter's older tests and tools; the member's QR is `code`. */
  memberId: idOf('mbr').optional(),
  code: memberCodeText.optional(),
}).refine((q) => (q.phone ? 1 : 0) + (q.memberId ? 1 : 0) + (q.code ? 1 : 0) === 1, { message: '按手机号或会员码查询，三选一' });

export const memberCard = z.object({
  id: idOf('mbr'),
  name: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  level: z.string(),
  points: z.number().int(),
});
export type MemberCard = z.infer<typeof memberCard>;

export const memberLookupResponse = z.object({ member: memberCard });

export const createMemberRequest = z.strictObject({
  phone,
  name: z.string().trim().min(1).max(name_length_max).optional(),
});

// ---- One member everywhere and the member centre (#17) ----

/** Alipay's `my.getPhoneNumber` answer is a JSON string of a few hundred characters. */
export const alipay_phone_answer_chars_max = 4096;
/** WeChat's getPhoneNumber code. */
export const wechat_phone_code_chars_max = 128;

/** What the page hands over after the member agreed to share their phone: never the phone itself. */
export const bindPhoneRequest = z.discriminatedUnion('platform', [
  z.strictObject({ platform: z.literal('wechat'), code: z.string().min(1, '手机号授权码（code）为空').max(wechat_phone_code_chars_max) }),
  z.strictObject({ platform: z.literal('alipay'), response: z.string().min(1, '支付宝授权结果（response）为空').max(alipay_phone_answer_chars_max) }),
]);
export type BindPhoneRequest = z.infer<typeof bindPhoneRequest>;

export const bindPhoneResponse = z.object({
  member: memberCard,
  /** Whether binding made two members one. */
  merged: z.boolean(),
  /** Whether this answers a repeat of an earlier request. */
  replayed: z.boolean(),
  /** A session for the surviving member. */
  token: z.string(),
  expiresAt: z.string(),
});
export type BindPhoneResponse = z.infer<typeof bindPhoneResponse>;

export const memberCodeResponse = z.object({ code: z.string(), refreshAt: z.string() });

/** Why points moved, in the member's words. */
export const points_reason_labels: Record<string, string> = {
  earn: '消费获得',
  redeem: '抵扣使用',
  redeem_cancel: '订单取消退回',
  refund_redeem: '退货退回',
  clawback: '退货扣回',
  adjust: '门店调整',
  opening_balance: '期初积分',
  merge_in: '账号合并转入',
  merge_out: '账号合并转出',
};

export const points_page_max = 50;
export const pointsEntry = z.object({
  id: z.string(),
  delta: z.number().int(),
  balanceAfter: z.number().int(),
  reason: z.string(),
  label: z.string(),
  refId: z.string().nullable(),
  at: z.string(),
});
export const pointsPageQuery = z.strictObject({
  /** The last entry of the previous page: entries before it come next. */
  before: z.string().regex(/^\d{1,18}$/, '分页位置应为数字').optional(),
});
export const pointsPageResponse = z.object({
  balance: z.number().int(),
  items: z.array(pointsEntry),
  /** Pass as `before` for the next page; null at the end. */
  next: z.string().nullable(),
});

export const levelBenefitsView = z.object({
  name: z.string(),
  minSpendFen: z.number().int(),
  minVisits: z.number().int(),
  discountBp: z.number().int(),
  pointsMultiplierBp: z.number().int(),
});
export const memberCentreResponse = z.object({
  member: memberCard.extend({ phoneBound: z.boolean() }),
  level: levelBenefitsView.nullable(),
  /** The next level up, if any, so the page can say what it would give. */
  nextLevel: levelBenefitsView.nullable(),
  merchant: z.object({ id: z.string(), name: z.string() }),
});
export type MemberCentre = z.infer<typeof memberCentreResponse>;

export const member_orders_page_max = 50;
export const memberOrderItem = z.object({
  id: z.string(),
  receiptNo: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  totalFen: z.number().int(),
  storeName: z.string(),
  createdAt: z.string(),
  pointsEarned: z.number().int(),
});
export const memberOrdersResponse = z.object({ items: z.array(memberOrderItem) });
export type MemberOrderItem = z.infer<typeof memberOrderItem>;
