import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { newId } from '../../shared/ids.js';
import type { MessagePlatform, MessageTopic } from '../../shared/api/messages.js';
import { checkTopicData, platformData } from './payload.js';
import type { MessageStatus } from './tables.js';

export interface QueueMemberMessage {
  merchantId: string;
  memberId: string;
  topic: MessageTopic;
  data: Record<string, string>;
  /** One per business event, e.g. `points_changed:earn:<orderId>`; the same key again is the same message. */
  idempotencyKey: string;
  now: Date;
}

export interface QueuedMessage {
  messageId: string;
  status: MessageStatus;
  replayed: boolean;
}

/**
 * Writes a member message into the outbox in the caller's transaction, so it
 * exists exactly when the event that caused it commits; the sender sends it
 * afterwards. The platform is chosen now: among the platforms the member
 * uses where the shop has an enabled template for the topic, the one the
 * member most recently agreed to and still has a send credit on. With no
 * such consent the row is written as `skipped_no_consent` (or
 * `skipped_no_template`) and no send is ever attempted for it. The same
 * idempotency key again returns the first message; with other content it is
 * refused (409).
 */
export async function queueMemberMessage(trx: Transaction<DB>, m: QueueMemberMessage): Promise<QueuedMessage> {
  checkTopicData(m.topic, m.data);
  const hash = requestHash({ memberId: m.memberId, topic: m.topic, data: m.data });
  const existing = await byKey(trx, m.merchantId, m.idempotencyKey);
  if (existing) return replay(existing, hash, m.idempotencyKey);

  const member = await trx.selectFrom('members').select(['wechat_openid', 'alipay_user_id']).where('id', '=', m.memberId).where('merchant_id', '=', m.merchantId).executeTakeFirst();
  if (!member) throw new Error(`queueMemberMessage: member ${m.memberId} of merchant ${m.merchantId} not found`);
  const ids: Partial<Record<MessagePlatform, string>> = {};
  if (member.wechat_openid) ids.wechat = member.wechat_openid;
  if (member.alipay_user_id) ids.alipay = member.alipay_user_id;
  const platforms = Object.keys(ids) as MessagePlatform[];

  const templates = platforms.length === 0 ? [] : await trx.selectFrom('message_templates').select(['platform', 'template_id', 'field_map', 'page']).where('merchant_id', '=', m.merchantId).where('topic', '=', m.topic).where('enabled', '=', true).where('platform', 'in', platforms).execute();
  const consent =
    templates.length === 0
      ? undefined
      : await trx
          .selectFrom('message_consents')
          .select(['platform', 'template_id'])
          .where('member_id', '=', m.memberId)
          .where('credits', '>', 0)
          .where((eb) => eb.or(templates.map((t) => eb.and([eb('platform', '=', t.platform), eb('template_id', '=', t.template_id)]))))
          .orderBy('updated_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
  const template = consent ? templates.find((t) => t.platform === consent.platform && t.template_id === consent.template_id) : undefined;

  const id = newId('memberMessage');
  const base = { id, merchant_id: m.merchantId, member_id: m.memberId, topic: m.topic, idempotency_key: m.idempotencyKey, request_hash: hash, data: JSON.stringify(m.data), created_at: m.now };
  const row = template
    ? {
        ...base,
        platform: template.platform,
        template_id: template.template_id,
        to_user: ids[template.platform]!,
        payload: JSON.stringify({ page: template.page, data: platformData(template.platform, JSON.parse(template.field_map) as Record<string, string>, m.data) }),
        status: 'queued' as const,
        next_attempt_at: m.now,
      }
    : { ...base, platform: null, template_id: null, to_user: null, payload: null, status: templates.length === 0 ? ('skipped_no_template' as const) : ('skipped_no_consent' as const), finished_at: m.now };
  const inserted = await trx.insertInto('member_messages').values(row).onConflict((oc) => oc.columns(['merchant_id', 'idempotency_key']).doNothing()).returning(['id', 'status']).executeTakeFirst();
  if (inserted) return { messageId: inserted.id, status: inserted.status, replayed: false };
  // Another transaction queued the same key between our read and our insert.
  return replay((await byKey(trx, m.merchantId, m.idempotencyKey))!, hash, m.idempotencyKey);
}

function byKey(trx: Transaction<DB>, merchantId: string, key: string) {
  return trx.selectFrom('member_messages').select(['id', 'status', 'request_hash']).where('merchant_id', '=', merchantId).where('idempotency_key', '=', key).executeTakeFirst();
}

function replay(row: { id: string; status: MessageStatus; request_hash: string }, hash: string, key: string): QueuedMessage {
  if (row.request_hash !== hash) throw new AppError('idempotency_mismatch', `消息 ${key} 已按不同内容排队`);
  return { messageId: row.id, status: row.status, replayed: true };
}
