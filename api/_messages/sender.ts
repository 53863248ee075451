import { randomBytes } from 'node:crypto';
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import { consent_credits_max, message_lease_ms, message_retry_backoff_ms_base, message_send_attempts_max, message_send_batch_max } from './limits.js';
import { sendToPlatform, type SendOutcome } from './platform-send.js';
import type { MemberMessagesTable } from './tables.js';

export type SendResult = 'sent' | 'retry' | 'failed' | 'skipped_no_consent' | 'busy';

type Claimed = Pick<Selectable<MemberMessagesTable>, 'id' | 'merchant_id' | 'member_id' | 'platform' | 'template_id' | 'to_user' | 'payload' | 'attempts'>;

/**
 * Takes the message for this sender (compare-and-set: queued and due, or
 * held by a sender whose lease ran out) and, the first time, spends one of
 * the member's credits for its template by a conditional update. No credit
 * left means no consent: the message ends `skipped_no_consent` and nothing
 * is sent. Both in one transaction, so a credit is spent only by a message
 * that will be sent.
 */
async function claim(deps: Deps, id: string, token: string, now: Date): Promise<Claimed | 'busy' | 'skipped_no_consent'> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('member_messages')
      .set({ status: 'sending', lease_token: token, lease_until: new Date(now.getTime() + message_lease_ms) })
      .where('id', '=', id)
      .where((eb) => eb.or([eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]))
      .returning(['id', 'merchant_id', 'member_id', 'platform', 'template_id', 'to_user', 'payload', 'attempts', 'credit_taken'])
      .executeTakeFirst();
    if (!row) return 'busy';
    if (!row.credit_taken) {
      const spent = await trx
        .updateTable('message_consents')
        .set((eb) => ({ credits: eb('credits', '-', 1) }))
        .where('member_id', '=', row.member_id)
        .where('platform', '=', row.platform!)
        .where('template_id', '=', row.template_id!)
        .where('credits', '>', 0)
        .returning('id')
        .executeTakeFirst();
      if (!spent) {
        await trx.updateTable('member_messages').set({ status: 'skipped_no_consent', lease_token: null, lease_until: null, next_attempt_at: null, finished_at: now }).where('id', '=', id).execute();
        return 'skipped_no_consent';
      }
      await trx.updateTable('member_messages').set({ credit_taken: true }).where('id', '=', id).execute();
    }
    return row;
  });
}

/**
 * Records one attempt and its consequence, only if this sender still holds
 * the message: sent; a temporary failure waits `message_retry_backoff_ms_base`
 * doubled per attempt, until `message_send_attempts_max`; a permanent one
 * (or the last temporary) ends it as failed and gives the credit back,
 * unless the platform said the member has no subscription left, which sets
 * the credits to zero.
 */
async function record(deps: Deps, m: Claimed, token: string, o: SendOutcome, now: Date): Promise<SendResult> {
  const attempt = m.attempts + 1;
  const giveUp = o.outcome === 'permanent' || (o.outcome === 'temporary' && attempt >= message_send_attempts_max);
  return deps.db.transaction().execute(async (trx) => {
    const held = await trx
      .updateTable('member_messages')
      .set(
        o.outcome === 'sent'
          ? { status: 'sent', attempts: attempt, lease_token: null, lease_until: null, next_attempt_at: null, finished_at: now, last_error: null }
          : giveUp
            ? { status: 'failed', attempts: attempt, lease_token: null, lease_until: null, next_attempt_at: null, finished_at: now, last_error: `${o.code ?? ''} ${o.detail}`.trim() }
            : { status: 'queued', attempts: attempt, lease_token: null, lease_until: null, next_attempt_at: new Date(now.getTime() + message_retry_backoff_ms_base * 2 ** (attempt - 1)), last_error: `${o.code ?? ''} ${o.detail}`.trim() },
      )
      .where('id', '=', m.id)
      .where('status', '=', 'sending')
      .where('lease_token', '=', token)
      .returning('id')
      .executeTakeFirst();
    if (!held) return 'busy';
    await trx.insertInto('member_message_attempts').values({ merchant_id: m.merchant_id, message_id: m.id, attempt, platform: m.platform!, outcome: o.outcome, code: o.code, detail: o.detail, created_at: now }).execute();
    if (giveUp) {
      const consent = trx.updateTable('message_consents').where('member_id', '=', m.member_id).where('platform', '=', m.platform!).where('template_id', '=', m.template_id!);
      if (o.consentGone) await consent.set({ credits: 0, updated_at: now }).execute();
      else await consent.set({ credits: sql<number>`least(credits + 1, ${consent_credits_max})` }).execute();
    }
    return o.outcome === 'sent' ? 'sent' : giveUp ? 'failed' : 'retry';
  });
}

/** Sends one message if it is due and nobody else holds it; the platform call runs outside any transaction. */
export async function sendMessage(deps: Deps, id: string): Promise<SendResult> {
  const token = randomBytes(12).toString('base64url');
  const claimed = await claim(deps, id, token, deps.clock());
  if (claimed === 'busy' || claimed === 'skipped_no_consent') return claimed;
  const { page, data } = JSON.parse(claimed.payload!) as { page: string; data: Record<string, { value: string }> };
  let outcome: SendOutcome;
  try {
    outcome = await sendToPlatform(deps, { platform: claimed.platform!, toUser: claimed.to_user!, templateId: claimed.template_id!, page, data });
  } catch (e) {
    outcome = { outcome: 'temporary', code: null, detail: e instanceof Error ? e.message.slice(0, 300) : 'failed', consentGone: false };
  }
  return record(deps, claimed, token, outcome, deps.clock());
}

const dueNow = (now: Date) => (eb: ExpressionBuilder<DB, 'member_messages'>) =>
  eb.or([eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]);

/** Whether the merchant has a message the sender should take now. */
export async function hasDueMessages(deps: Deps, merchantId: string): Promise<boolean> {
  const row = await deps.db.selectFrom('member_messages').select('id').where('merchant_id', '=', merchantId).where(dueNow(deps.clock())).limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface MessageJobResult {
  tried: number;
  sent: number;
  retrying: number;
  failed: number;
  skipped: number;
}

/**
 * The sweep: every message of the merchant that is due (queued past its
 * backoff, or held by a sender whose lease ran out), oldest first, at most
 * `message_send_batch_max` a run. Rides on the two-minute payments job and
 * runs as its own queue job when a caller wakes it.
 */
export async function runMessageJobs(deps: Deps, scope: { merchantId: string }): Promise<MessageJobResult> {
  const now = deps.clock();
  const due = await deps.db
    .selectFrom('member_messages')
    .select('id')
    .where('merchant_id', '=', scope.merchantId)
    .where(dueNow(now))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(message_send_batch_max)
    .execute();
  const result: MessageJobResult = { tried: 0, sent: 0, retrying: 0, failed: 0, skipped: 0 };
  for (const { id } of due) {
    const r = await sendMessage(deps, id);
    if (r === 'busy') continue;
    result.tried++;
    if (r === 'sent') result.sent++;
    else if (r === 'retry') result.retrying++;
    else if (r === 'failed') result.failed++;
    else result.skipped++;
  }
  return result;
}
