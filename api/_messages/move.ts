import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { consent_credits_max } from './limits.js';

/**
 * When two member records become one (#17 merge), the surviving member keeps
 * the consents of both: a template both had agreed to keeps the sum of their
 * credits (capped at `consent_credits_max`) and the later answer; messages
 * and consent reports follow the member. In the merge's transaction.
 */
export async function moveMessagesToMember(trx: Transaction<DB>, p: { merchantId: string; fromMemberId: string; toMemberId: string; mergeId: string }): Promise<void> {
  await sql`insert into message_consents (merchant_id, member_id, platform, template_id, credits, last_result, updated_at)
    select merchant_id, ${p.toMemberId}, platform, template_id, credits, last_result, updated_at
    from message_consents where member_id = ${p.fromMemberId} and merchant_id = ${p.merchantId}
    on conflict (member_id, platform, template_id) do update set
      credits = least(message_consents.credits + excluded.credits, ${consent_credits_max}),
      last_result = case when excluded.updated_at > message_consents.updated_at then excluded.last_result else message_consents.last_result end,
      updated_at = greatest(message_consents.updated_at, excluded.updated_at)`.execute(trx);
  await trx.deleteFrom('message_consents').where('member_id', '=', p.fromMemberId).where('merchant_id', '=', p.merchantId).execute();
  await trx.updateTable('message_consent_reports').set({ member_id: p.toMemberId }).where('member_id', '=', p.fromMemberId).where('merchant_id', '=', p.merchantId).execute();
  await trx.updateTable('member_messages').set({ member_id: p.toMemberId }).where('member_id', '=', p.fromMemberId).where('merchant_id', '=', p.merchantId).execute();
}
