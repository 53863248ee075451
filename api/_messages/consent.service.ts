import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { MemberPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { topic_titles, type ConsentReportRequest, type MemberSubscriptionsResponse } from '../../shared/api/messages.js';
import { consent_credits_max, member_recent_messages_max } from './limits.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What the member's 消息订阅 page shows and asks about: each enabled
 * template of the shop with the sends the member has left on it, and their
 * latest messages. Only the member's own rows, through their own token.
 */
export async function memberSubscriptions(db: Db, member: MemberPrincipal): Promise<MemberSubscriptionsResponse> {
  const [templates, consents, recent] = await Promise.all([
    db.selectFrom('message_templates').select(['topic', 'platform', 'template_id']).where('merchant_id', '=', member.merchantId).where('enabled', '=', true).orderBy('topic').orderBy('platform').execute(),
    db.selectFrom('message_consents').select(['platform', 'template_id', 'credits', 'last_result']).where('member_id', '=', member.memberId).where('merchant_id', '=', member.merchantId).execute(),
    db
      .selectFrom('member_messages')
      .select(['id', 'topic', 'status', 'created_at'])
      .where('member_id', '=', member.memberId)
      .where('merchant_id', '=', member.merchantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(member_recent_messages_max)
      .execute(),
  ]);
  return {
    items: templates.map((t) => {
      const c = consents.find((x) => x.platform === t.platform && x.template_id === t.template_id);
      return { topic: t.topic, title: topic_titles[t.topic], platform: t.platform, templateId: t.template_id, credits: c?.credits ?? 0, lastResult: c?.last_result ?? null };
    }),
    recent: recent.map((r) => ({ id: r.id, topic: r.topic, status: r.status, createdAt: new Date(r.created_at).toISOString() })),
  };
}

/**
 * Records what the member answered in `requestSubscribeMessage`: each
 * `accept` adds one send credit (WeChat's one-time subscription allows one
 * message per accept), up to `consent_credits_max`; `reject` and `ban` take
 * the member's latest word as no and set the credits to zero; `filter` (a
 * template WeChat left out of the dialog) changes nothing. The report id
 * makes a repeated report a replay; the same id with other results is 409.
 * Only enabled templates of the member's shop on that platform, and only a
 * platform the member signed in with, are accepted.
 */
export async function reportConsent(deps: Deps, member: MemberPrincipal, r: ConsentReportRequest): Promise<MemberSubscriptionsResponse & { replayed: boolean }> {
  const now = deps.clock();
  const hash = requestHash({ platform: r.platform, results: r.results });
  const replayed = await deps.db.transaction().execute(async (trx) => {
    const self = await trx.selectFrom('members').select(['wechat_openid', 'alipay_user_id']).where('id', '=', member.memberId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
    if (!self) throw new AppError('not_found', '会员不存在');
    if (!(r.platform === 'wechat' ? self.wechat_openid : self.alipay_user_id)) {
      throw new AppError('validation_failed', `你还没有用${r.platform === 'wechat' ? '微信' : '支付宝'}登录本店，不能订阅该平台的消息`, [{ path: 'platform', message: 'not signed in on this platform' }]);
    }
    const ids = [...new Set(r.results.map((x) => x.templateId))];
    if (ids.length !== r.results.length) throw new AppError('validation_failed', '同一模板只能报告一次', [{ path: 'results', message: 'duplicate templateId' }]);
    const known = await trx.selectFrom('message_templates').select('template_id').where('merchant_id', '=', member.merchantId).where('platform', '=', r.platform).where('enabled', '=', true).where('template_id', 'in', ids).execute();
    const unknown = r.results.findIndex((x) => !known.some((k) => k.template_id === x.templateId));
    if (unknown >= 0) throw new AppError('validation_failed', `模板 ${r.results[unknown]!.templateId} 不是本店启用的消息模板`, [{ path: `results.${unknown}.templateId`, message: 'unknown template' }]);

    const inserted = await trx
      .insertInto('message_consent_reports')
      .values({ merchant_id: member.merchantId, member_id: member.memberId, report_id: r.reportId, platform: r.platform, results: JSON.stringify(r.results), request_hash: hash, created_at: now })
      .onConflict((oc) => oc.columns(['merchant_id', 'report_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const first = await trx.selectFrom('message_consent_reports').select(['member_id', 'request_hash']).where('merchant_id', '=', member.merchantId).where('report_id', '=', r.reportId).executeTakeFirstOrThrow();
      if (first.member_id !== member.memberId || first.request_hash !== hash) throw new AppError('idempotency_mismatch', `订阅结果 ${r.reportId} 已按不同内容报告过`);
      return true;
    }
    for (const x of r.results) {
      if (x.result === 'filter') continue;
      const credits = x.result === 'accept' ? 1 : 0;
      await trx
        .insertInto('message_consents')
        .values({ merchant_id: member.merchantId, member_id: member.memberId, platform: r.platform, template_id: x.templateId, credits, last_result: x.result, updated_at: now })
        .onConflict((oc) =>
          oc.columns(['member_id', 'platform', 'template_id']).doUpdateSet({
            credits: x.result === 'accept' ? sql<number>`least(message_consents.credits + 1, ${consent_credits_max})` : 0,
            last_result: x.result,
            updated_at: now,
          }),
        )
        .execute();
    }
    return false;
  });
  return { ...(await memberSubscriptions(deps.db, member)), replayed };
}
