import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import { audit } from '../_audit/index.js';
import { dayText } from './report.js';

type RunRow = Selectable<DB['reconcile_runs']>;

/** The merchant's latest reconcile runs, newest first, at most `limit`. */
export async function recentRuns(db: Kysely<DB>, merchantId: string, limit: number): Promise<RunRow[]> {
  return db.selectFrom('reconcile_runs').selectAll().where('merchant_id', '=', merchantId).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** One difference of a run with the repair the run chose for it, or undefined when the run has no such difference. */
export async function itemWithRepair(db: Kysely<DB>, runId: string, itemId: number) {
  return db
    .selectFrom('reconcile_items as i')
    .innerJoin('reconcile_repairs as x', 'x.item_id', 'i.id')
    .select(['i.kind', 'i.out_no', 'i.class', 'x.action'])
    .where('i.id', '=', itemId)
    .where('i.run_id', '=', runId)
    .executeTakeFirst();
}

export interface Resolution {
  merchantId: string;
  staffId: string;
  run: Pick<RunRow, 'id' | 'channel' | 'bill_date'>;
  itemId: number;
  item: { kind: string; out_no: string; class: string };
  note: string;
}

/**
 * Records the owner's word on an exception and audits it, in one transaction.
 * It answers false when the same exception of the same day was resolved
 * before: the resolution is keyed by day, not by run, so it holds for every
 * re-run, and a second word on it is refused rather than overwriting the first.
 */
export async function recordResolution(db: Kysely<DB>, r: Resolution): Promise<boolean> {
  const { merchantId, staffId, run, itemId, item, note } = r;
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('reconcile_resolutions')
      .values({ merchant_id: merchantId, channel: run.channel, bill_date: dayText(run.bill_date), kind: item.kind, out_no: item.out_no, class: item.class, note, resolved_by: staffId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
    await audit(trx, { merchantId, actorId: staffId, action: 'reconcile.resolve', subjectId: run.id, detail: { itemId, kind: item.kind, outNo: item.out_no, class: item.class, note } });
    return true;
  });
}

/** The merchant's latest bill downloads, the cron's included, newest first, at most `limit`. */
export async function recentDownloads(db: Kysely<DB>, merchantId: string, limit: number) {
  return db.selectFrom('reconcile_downloads').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
