import { z } from 'zod';

/**
 * Member messages (订阅消息, #17): what a shop may tell a member through the
 * platform they use — WeChat subscription messages and Alipay template
 * messages — each only after the member agreed to that template.
 */

export const message_topics = ['points_changed', 'coupon_expiring', 'pickup_ready', 'stored_value_changed'] as const;
export type MessageTopic = (typeof message_topics)[number];

export const message_platforms = ['wechat', 'alipay'] as const;
export type MessagePlatform = (typeof message_platforms)[number];

export const topic_titles: Record<MessageTopic, string> = {
  points_changed: '积分变动提醒',
  coupon_expiring: '优惠券到期提醒',
  pickup_ready: '取货提醒',
  stored_value_changed: '储值变动提醒',
};

/**
 * The values each topic's message carries, by key. A caller of
 * `queueMemberMessage` passes exactly these keys; the owner maps the
 * platform template's keywords (thing1, keyword2 …) onto them.
 */
export const topic_fields: Record<MessageTopic, readonly { key: string; label: string; example: string }[]> = {
  points_changed: [
    { key: 'change', label: '变动说明', example: '消费获得 120 积分' },
    { key: 'points', label: '变动积分', example: '120' },
    { key: 'balance', label: '当前积分', example: '1320' },
    { key: 'reason', label: '变动原因', example: '消费获得' },
    { key: 'time', label: '变动时间', example: '2026年12月6日 13:45' },
  ],
  coupon_expiring: [
    { key: 'couponName', label: '优惠券', example: '满100减20' },
    { key: 'expiresAt', label: '到期时间', example: '2026年12月8日 23:59' },
    { key: 'shopName', label: '商户', example: '示例小店' },
    { key: 'note', label: '温馨提示', example: '优惠券即将到期，请尽快使用' },
  ],
  pickup_ready: [
    { key: 'pickupCode', label: '取货码', example: '0123' },
    { key: 'storeName', label: '门店', example: '示例小店 人民路店' },
    { key: 'goods', label: '商品', example: '乌龙茶×2' },
    { key: 'time', label: '下单时间', example: '2026年12月6日 13:45' },
  ],
  stored_value_changed: [
    { key: 'change', label: '变动说明', example: '充值 100.00 元' },
    { key: 'amount', label: '变动金额', example: '100.00元' },
    { key: 'balance', label: '当前余额', example: '120.00元' },
    { key: 'reason', label: '变动原因', example: '充值' },
    { key: 'time', label: '变动时间', example: '2026年12月6日 13:45' },
  ],
};

/** Where a message opens the mini-program unless the owner names another page. */
export const topic_default_pages: Record<MessageTopic, string> = {
  points_changed: 'pages/member/messages',
  coupon_expiring: 'pages/member/messages',
  pickup_ready: 'pages/shop/me/index',
  stored_value_changed: 'pages/member/messages',
};

/** Keywords a template maps at most (WeChat templates have up to five; Alipay's a few more). */
export const template_fields_max = 10;
/** WeChat and Alipay ask about at most three templates in one dialog (wx.requestSubscribeMessage, my.requestSubscribeMessage). */
export const consent_templates_per_request_max = 3;
export const template_id_chars_max = 64;
export const message_page_chars_max = 128;

/** WeChat keyword keys: a value type and a number (thing1, time4, character_string2 …). */
export const wechat_keyword_pattern = /^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase|enum)\d{1,2}$/;
/** Alipay template keywords: keyword1, keyword2 … */
export const alipay_keyword_pattern = /^keyword\d{1,2}$/;

export const messageTemplateRequest = z
  .object({
    topic: z.enum(message_topics),
    platform: z.enum(message_platforms),
    templateId: z.string().trim().regex(/^[A-Za-z0-9_-]+$/, '模板编号只含字母、数字、下划线和短横线').min(1, '请填写模板编号').max(template_id_chars_max, `模板编号最长 ${template_id_chars_max} 个字符`),
    /** Template keyword → the topic's value key. */
    fields: z.record(z.string(), z.string()),
    page: z.string().trim().regex(/^pages\/[A-Za-z0-9_/.-]+(\?[A-Za-z0-9_=&%-]*)?$/, '页面路径如 pages/member/messages').max(message_page_chars_max).optional(),
    enabled: z.boolean(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const entries = Object.entries(t.fields);
    if (entries.length === 0) ctx.addIssue({ code: 'custom', path: ['fields'], message: '至少对应一个模板关键词' });
    if (entries.length > template_fields_max) ctx.addIssue({ code: 'custom', path: ['fields'], message: `最多对应 ${template_fields_max} 个关键词（template_fields_max）` });
    const pattern = t.platform === 'wechat' ? wechat_keyword_pattern : alipay_keyword_pattern;
    const keys = new Set(topic_fields[t.topic].map((f) => f.key));
    for (const [keyword, value] of entries) {
      if (!pattern.test(keyword)) ctx.addIssue({ code: 'custom', path: ['fields', keyword], message: t.platform === 'wechat' ? `关键词 ${keyword} 不是微信模板的格式（如 thing1、time4）` : `关键词 ${keyword} 不是支付宝模板的格式（如 keyword1）` });
      if (!keys.has(value)) ctx.addIssue({ code: 'custom', path: ['fields', keyword], message: `关键词 ${keyword} 对应的内容 ${value} 不是「${topic_titles[t.topic]}」的内容` });
    }
  });
export type MessageTemplateRequest = z.infer<typeof messageTemplateRequest>;

export const messageTemplateView = z.object({
  topic: z.enum(message_topics),
  platform: z.enum(message_platforms),
  templateId: z.string(),
  fields: z.record(z.string(), z.string()),
  page: z.string(),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
export type MessageTemplateView = z.infer<typeof messageTemplateView>;

export const messageOutcomeCounts = z.object({ sent: z.number(), failed: z.number(), skipped: z.number(), waiting: z.number() });

export const messageTemplatesResponse = z.object({
  templates: z.array(messageTemplateView),
  /** Last 30 days per topic: what happened to the messages queued. */
  counts: z.record(z.string(), messageOutcomeCounts),
});
export type MessageTemplatesResponse = z.infer<typeof messageTemplatesResponse>;

/** What `requestSubscribeMessage` said about each template: WeChat's accept/reject/ban/filter; Alipay's accept/reject. */
export const consentResults = ['accept', 'reject', 'ban', 'filter'] as const;

export const consentReportRequest = z
  .object({
    /** Made by the client once per dialog, so a repeated report never adds a second credit. */
    reportId: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/, '报告编号格式不对'),
    platform: z.enum(message_platforms),
    results: z
      .array(z.object({ templateId: z.string().min(1).max(template_id_chars_max), result: z.enum(consentResults) }).strict())
      .min(1, '至少一个模板的结果')
      .max(consent_templates_per_request_max, `一次最多 ${consent_templates_per_request_max} 个模板`),
  })
  .strict();
export type ConsentReportRequest = z.infer<typeof consentReportRequest>;

export const memberSubscriptionView = z.object({
  topic: z.enum(message_topics),
  title: z.string(),
  platform: z.enum(message_platforms),
  templateId: z.string(),
  /** Sends left: each accepted one-time subscription allows one message. */
  credits: z.number(),
  lastResult: z.enum(consentResults).nullable(),
});

export const memberSubscriptionsResponse = z.object({
  items: z.array(memberSubscriptionView),
  /** The member's recent messages, newest first. */
  recent: z.array(z.object({ id: z.string(), topic: z.enum(message_topics), status: z.string(), createdAt: z.string() })),
});
export type MemberSubscriptionsResponse = z.infer<typeof memberSubscriptionsResponse>;

export const consentReportResponse = memberSubscriptionsResponse.extend({ replayed: z.boolean() });
