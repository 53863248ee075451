import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

/** Who did what to which record, and why: append-only, written in the same transaction as the change. */
export interface AuditEntry {
  merchantId: string;
  actorId: string | null;
  action: string;
  subjectId: string | null;
  detail?: Record<string, unknown>;
}

export async function audit(db: Kysely<DB> | Transaction<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      merchant_id: entry.merchantId,
      actor_id: entry.actorId,
      action: entry.action,
      subject_id: entry.subjectId,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}
