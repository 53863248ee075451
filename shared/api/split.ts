import { z } from 'zod';
import { fen, idOf } from './common.js';
import { split_bp_denominator, split_receivers_max } from '../split/allocate.js';

/** Profit sharing (分账): receivers, versioned rules, the split log. Owner only. */

export const split_description_chars_max = 80;
export const split_log_page_max = 500;

const accountTypes = { wechat: ['MERCHANT_ID', 'PERSONAL_OPENID'], alipay: ['loginName', 'userId'] } as const;

export const splitReceiverInput = z.strictObject({
  name: z.string().trim().min(1).max(64),
  kind: z.enum(['brand', 'landlord', 'platform', 'staff']),
  channel: z.enum(['wechat', 'alipay']),
  accountType: z.enum(['MERCHANT_ID', 'PERSONAL_OPENID', 'loginName', 'userId']),
  account: z.string().trim().min(1).max(128),
  description: z.string().trim().min(1).max(split_description_chars_max),
  bp: z.number().int().min(1, '比例至少 1 个基点').max(split_bp_denominator).optional(),
  fixedFen: fen.min(1, '固定金额至少 1 分').optional(),
});
export type SplitReceiverInput = z.infer<typeof splitReceiverInput>;

export const splitRuleRequest = z
  .strictObject({
    clientRuleId: idOf('spr'),
    storeId: idOf('sto').nullable(),
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '生效日期须为 YYYY-MM-DD'),
    note: z.string().max(200).default(''),
    receivers: z.array(splitReceiverInput).max(split_receivers_max, `接收方最多 ${split_receivers_max} 个（split_receivers_max）`),
  })
  .superRefine((rule, ctx) => {
    const seen = new Set<string>();
    rule.receivers.forEach((r, i) => {
      if ((r.bp === undefined) === (r.fixedFen === undefined)) ctx.addIssue({ code: 'custom', path: ['receivers', i], message: '每个接收方须给出比例（bp）或固定金额（fixedFen）之一' });
      if (!(accountTypes[r.channel] as readonly string[]).includes(r.accountType)) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'accountType'], message: `${r.channel === 'wechat' ? '微信' : '支付宝'}接收方账号类型须为 ${accountTypes[r.channel].join(' 或 ')}` });
      const key = `${r.channel}:${r.accountType}:${r.account}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['receivers', i, 'account'], message: `接收方 ${r.account} 重复` });
      seen.add(key);
    });
  });
export type SplitRuleRequest = z.infer<typeof splitRuleRequest>;

export const splitRuleView = z.object({
  id: z.string(),
  storeId: z.string().nullable(),
  version: z.number().int(),
  effectiveFrom: z.string(),
  note: z.string(),
  createdAt: z.string(),
  receivers: z.array(
    z.object({ receiverId: z.string(), name: z.string(), kind: z.string(), channel: z.string(), accountType: z.string(), account: z.string(), description: z.string(), bp: z.number().int().nullable(), fixedFen: fen.nullable() }),
  ),
});
export type SplitRuleView = z.infer<typeof splitRuleView>;

export const splitRuleResponse = z.object({ rule: splitRuleView, replayed: z.boolean() });
export const splitRulesResponse = z.object({ items: z.array(splitRuleView) });

export const splitLogQuery = z
  .strictObject({ paymentId: idOf('pay').optional(), receiverId: idOf('srv').optional(), format: z.enum(['json', 'csv']).optional() })
  .refine((q) => (q.paymentId === undefined) !== (q.receiverId === undefined), '须给出 paymentId 或 receiverId 之一');

export const splitLogEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  event: z.string(),
  paymentId: z.string().nullable(),
  splitId: z.string().nullable(),
  ruleId: z.string().nullable(),
  receiverId: z.string().nullable(),
  receiverName: z.string().nullable(),
  receiverAccount: z.string().nullable(),
  amountFen: fen.nullable(),
  status: z.string().nullable(),
  detail: z.unknown(),
});
export const splitLogResponse = z.object({ items: z.array(splitLogEntry) });
