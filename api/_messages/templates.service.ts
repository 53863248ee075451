import { sql } from 'kysely';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { audit } from '../_audit/index.js';
import { topic_default_pages, type MessageTemplateRequest, type MessageTemplatesResponse, type MessageTemplateView } from '../../shared/api/messages.js';
import { message_counts_days } from './limits.js';

type TemplateRow = { topic: MessageTemplateView['topic']; platform: MessageTemplateView['platform']; template_id: string; field_map: string; page: string; enabled: boolean; updated_at: Date | string };

function view(r: TemplateRow): MessageTemplateView {
  return { topic: r.topic, platform: r.platform, templateId: r.template_id, fields: JSON.parse(r.field_map) as Record<string, string>, page: r.page, enabled: r.enabled, updatedAt: new Date(r.updated_at).toISOString() };
}

/** The merchant's templates, with what became of the messages of the last `message_counts_days` days per topic. */
export async function listTemplates(deps: Deps, merchantId: string): Promise<MessageTemplatesResponse> {
  const since = new Date(deps.clock().getTime() - message_counts_days * 86_400_000);
  const [rows, counts] = await Promise.all([
    deps.db.selectFrom('message_templates').select(['topic', 'platform', 'template_id', 'field_map', 'page', 'enabled', 'updated_at']).where('merchant_id', '=', merchantId).orderBy('topic').orderBy('platform').execute(),
    deps.db
      .selectFrom('member_messages')
      .select(['topic', 'status', sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', merchantId)
      .where('created_at', '>=', since)
      .groupBy(['topic', 'status'])
      .execute(),
  ]);
  const out: MessageTemplatesResponse['counts'] = {};
  for (const c of counts) {
    const t = (out[c.topic] ??= { sent: 0, failed: 0, skipped: 0, waiting: 0 });
    const n = Number(c.n);
    if (c.status === 'sent') t.sent += n;
    else if (c.status === 'failed') t.failed += n;
    else if (c.status === 'queued' || c.status === 'sending') t.waiting += n;
    else t.skipped += n;
  }
  return { templates: rows.map(view), counts: out };
}

/**
 * Sets the merchant's template for one topic on one platform (the request's
 * schema has checked the keywords and the values they map to). A new
 * template id leaves the members' consents to the old one unused: consent
 * is to a template, so members are asked again.
 */
export async function saveTemplate(deps: Deps, staff: StaffPrincipal, t: MessageTemplateRequest): Promise<MessageTemplateView> {
  const now = deps.clock();
  const values = { template_id: t.templateId, field_map: JSON.stringify(t.fields), page: t.page ?? topic_default_pages[t.topic], enabled: t.enabled, updated_by: staff.staffId, updated_at: now };
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('message_templates')
      .values({ merchant_id: staff.merchantId, topic: t.topic, platform: t.platform, ...values })
      .onConflict((oc) => oc.columns(['merchant_id', 'topic', 'platform']).doUpdateSet(values))
      .returning(['topic', 'platform', 'template_id', 'field_map', 'page', 'enabled', 'updated_at'])
      .executeTakeFirstOrThrow();
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'message_template.saved', subjectId: `${t.topic}:${t.platform}`, detail: { templateId: t.templateId, enabled: t.enabled, fields: t.fields } });
    return view(row);
  });
}
