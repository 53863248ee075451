import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { payment_notifications_retention_batch_rows, payment_notifications_retention_batches_max, payment_notifications_retention_days } from './limits.js';

/**
 * Drops the raw bodies of notifications older than the retention period.
 * The bodies carry buyer ids (openid, buyer_id, buyer_logon_id) and are only
 * worth keeping while a dispute about the payment is still likely; the row
 * itself, with its outcome, amount and trade number, stays as the trail.
 * Works in bounded batches so a first run over a long history stays inside a
 * function's time limit; what is left is taken by the next run.
 */
export async function dropOldNotificationBodies(db: Kysely<DB>, now: Date): Promise<{ cleared: number }> {
  const before = new Date(now.getTime() - payment_notifications_retention_days * 86_400_000);
  let cleared = 0;
  for (let batch = 0; batch < payment_notifications_retention_batches_max; batch++) {
    const r = await sql`update payment_notifications set raw_body = null
      where id in (select id from payment_notifications where raw_body is not null and received_at < ${before} limit ${payment_notifications_retention_batch_rows})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    cleared += n;
    if (n < payment_notifications_retention_batch_rows) break;
  }
  return { cleared };
}
