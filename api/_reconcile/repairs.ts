import { sql, type Transaction } from 'kysely';
import type { Deps } from '../_kernel/deps.js';
import type { DB } from '../_db/schema.js';
import { postEntry, type PostLine } from '../_ledger/index.js';
import { applyTrade, paymentChannelFor } from '../_payments/index.js';
import { audit } from '../_audit/index.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { reconcileSettings, feeFenOf } from './settings.js';
import { reconcile_repairs_batch } from './limits.js';

/** The differences a run hands to repair; matched and crossed-midnight records need nothing. */
const repairable = ['missing_in_system', 'missing_in_bill', 'amount_mismatch', 'status_mismatch', 'fee_difference'] as const;

type RunRef = { runId: string; merchantId: string; channel: BillChannel; billDate: string; billId: string; actorId: string | null };
type Clearing = 'clearing_wechat' | 'clearing_alipay';

/**
 * Whether this run's bill may move money in the books. A bill downloaded from
 * the platform may; a bill uploaded by hand may only while no downloaded bill
 * exists for the day, since anyone with a manager's phone can fabricate a
 * file, and the platform's own copy always wins.
 */
async function billMayBook(deps: Deps, r: RunRef): Promise<boolean> {
  const bill = await deps.db.selectFrom('reconcile_bills').select('source').where('id', '=', r.billId).executeTakeFirstOrThrow();
  if (bill.source === 'download') return true;
  const downloaded = await deps.db
    .selectFrom('reconcile_bills')
    .select('id')
    .where('merchant_id', '=', r.merchantId)
    .where('channel', '=', r.channel)
    .where('bill_date', '=', r.billDate)
    .where('source', '=', 'download')
    .where('sha256', 'not like', 'pending:%')
    .executeTakeFirst();
  return !downloaded;
}

/**
 * Books what a bill says for one subject (the day's fees, or one payment's
 * adjustment) as the difference from what earlier bills of the day already
 * booked, which reconcile_postings keeps. So a later bill, above all the
 * downloaded one after a hand upload, corrects the books by a further entry
 * (the journal is append-only) instead of colliding with the first one's
 * idempotency key. Returns whether an entry was posted.
 */
async function bookTo(
  deps: Deps,
  r: RunRef,
  p: { kind: 'fees' | 'adjust'; subject: string; targetFen: number; legacyKey: string; memo: string; lines: (deltaFen: number) => PostLine[] },
  alongside?: (trx: Transaction<DB>, deltaFen: number) => Promise<void>,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const booked = await trx
      .selectFrom('reconcile_postings')
      .select([sql<string>`coalesce(sum(amount_fen), 0)`.as('fen'), sql<string>`count(*)`.as('n')])
      .where('merchant_id', '=', r.merchantId)
      .where('channel', '=', r.channel)
      .where('bill_date', '=', r.billDate)
      .where('kind', '=', p.kind)
      .where('subject', '=', p.subject)
      .executeTakeFirstOrThrow();
    const delta = p.targetFen - Number(booked.fen);
    if (delta === 0) return false;
    // The first posting keeps the key bills were booked under before corrections existed; a correction is keyed by its run.
    const eventKey = Number(booked.n) === 0 ? p.legacyKey : `${p.legacyKey}:${r.runId}`;
    await postEntry(trx, { merchantId: r.merchantId, eventKey, businessDate: r.billDate, memo: p.memo, lines: p.lines(delta) });
    await trx
      .insertInto('reconcile_postings')
      .values({ merchant_id: r.merchantId, channel: r.channel, bill_date: r.billDate, kind: p.kind, subject: p.subject, bill_id: r.billId, run_id: r.runId, amount_fen: delta, event_key: eventKey })
      .execute();
    if (alongside) await alongside(trx, delta);
    return true;
  });
}

/** Dr clearing / Cr rounding for money the platform holds beyond ours, the other way round for less. */
function adjustLines(clearing: Clearing, fen: number): PostLine[] {
  return fen > 0 ? [{ account: clearing, debitFen: fen }, { account: 'rounding', creditFen: fen }] : [{ account: 'rounding', debitFen: -fen }, { account: clearing, creditFen: -fen }];
}

/** Dr fees / Cr clearing for fees the platform kept, the other way round for fees given back. */
function feeLines(clearing: Clearing, fen: number): PostLine[] {
  return fen > 0 ? [{ account: 'fees', debitFen: fen }, { account: clearing, creditFen: fen }] : [{ account: clearing, debitFen: -fen }, { account: 'fees', creditFen: -fen }];
}

/**
 * What is done about each difference, recorded once per item:
 * - a payment we hold as unpaid that the bill shows paid is asked of the
 *   platform and settled through `applyTrade` (a lost notification);
 * - an amount off by no more than the merchant's tolerance is booked as an
 *   adjustment (自动调账) with an audit record;
 * - everything else is an exception the owner resolves in the app.
 * The bill's fees are booked per merchant × channel × day. Adjustments and
 * fees are booked only by a bill that may book (billMayBook), each as the
 * difference from what the day's earlier bills booked; adjustments an
 * earlier bill made that this one does not repeat are taken back.
 */
export async function repairRun(deps: Deps, r: RunRef): Promise<void> {
  const { toleranceFen } = await reconcileSettings(deps, r.merchantId);
  const mayBook = await billMayBook(deps, r);
  const items = await deps.db
    .selectFrom('reconcile_items')
    .selectAll()
    .where('run_id', '=', r.runId)
    .where('class', 'in', [...repairable])
    .orderBy('id')
    .execute();
  const clearing: Clearing = r.channel === 'wechat' ? 'clearing_wechat' : 'clearing_alipay';
  const records: { item_id: number; run_id: string; action: 'settled' | 'adjusted' | 'exception'; detail: string }[] = [];
  const adjusted = new Set<string>();
  for (const item of items) {
    let action: 'settled' | 'adjusted' | 'exception' = 'exception';
    let detail: Record<string, unknown> = {};
    if (item.class === 'missing_in_system' && item.kind === 'payment' && item.payment_id && item.bill_status === 'SUCCESS') {
      // The platform's own answer settles it, whoever's bill raised the question.
      try {
        const channel = await paymentChannelFor(deps, r.merchantId, r.channel);
        const trade = await channel.query(item.out_no);
        if (trade.state === 'succeeded') {
          const settled = await applyTrade(deps, channel, trade, 'query');
          detail = { platformState: trade.state, outcome: settled.outcome };
          if (settled.outcome === 'applied' || settled.outcome === 'applied_surplus' || settled.outcome === 'duplicate') action = 'settled';
        } else detail = { platformState: trade.state };
      } catch (e) {
        detail = { queryFailed: e instanceof Error ? e.message : String(e) };
      }
    } else if (item.class === 'amount_mismatch' && item.kind === 'payment' && item.payment_id && item.bill_amount_fen !== null && item.system_amount_fen !== null) {
      const diff = Number(item.bill_amount_fen) - Number(item.system_amount_fen);
      detail = { diffFen: diff, toleranceFen };
      if (!mayBook) detail = { ...detail, uploadedWhileDownloaded: true };
      else if (Math.abs(diff) <= toleranceFen) {
        const paymentId = item.payment_id;
        adjusted.add(paymentId);
        // The platform holds what its bill says: the clearing account follows it, the difference is other income or loss.
        await bookTo(
          deps,
          r,
          { kind: 'adjust', subject: paymentId, targetFen: diff, legacyKey: `reconcile_adjust:${paymentId}`, memo: `对账自动调账：${item.out_no} 账单 ${item.bill_amount_fen} 分，系统 ${item.system_amount_fen} 分`, lines: (fen) => adjustLines(clearing, fen) },
          (trx, delta) =>
            audit(trx, { merchantId: r.merchantId, actorId: r.actorId, action: 'reconcile.auto_adjust', subjectId: paymentId, detail: { runId: r.runId, outTradeNo: item.out_no, billFen: item.bill_amount_fen, systemFen: item.system_amount_fen, diffFen: diff, bookedFen: delta, toleranceFen } }),
        );
        action = 'adjusted';
      }
    }
    records.push({ item_id: item.id, run_id: r.runId, action, detail: JSON.stringify(detail) });
  }
  for (let i = 0; i < records.length; i += reconcile_repairs_batch) await deps.db.insertInto('reconcile_repairs').values(records.slice(i, i + reconcile_repairs_batch)).execute();
  if (!mayBook) return;

  // Adjustments an earlier bill of the day booked that this one does not make are taken back.
  const earlier = await deps.db
    .selectFrom('reconcile_postings')
    .select('subject')
    .where('merchant_id', '=', r.merchantId)
    .where('channel', '=', r.channel)
    .where('bill_date', '=', r.billDate)
    .where('kind', '=', 'adjust')
    .groupBy('subject')
    .having(sql`sum(amount_fen)`, '<>', 0)
    .execute();
  for (const { subject } of earlier.filter((e) => !adjusted.has(e.subject))) {
    await bookTo(deps, r, { kind: 'adjust', subject, targetFen: 0, legacyKey: `reconcile_adjust:${subject}`, memo: `对账调账冲回：${r.billDate} 的账单不再有这笔差额`, lines: (fen) => adjustLines(clearing, fen) });
  }

  const bill = await deps.db.selectFrom('reconcile_bills').select('fee_milli').where('id', '=', r.billId).executeTakeFirstOrThrow();
  await bookTo(deps, r, {
    kind: 'fees',
    subject: '',
    targetFen: feeFenOf(Number(bill.fee_milli)),
    legacyKey: `reconcile_fees:${r.channel}:${r.billDate}`,
    memo: `${r.channel === 'wechat' ? '微信支付' : '支付宝'} ${r.billDate} 手续费（对账单）`,
    lines: (fen) => feeLines(clearing, fen),
  });
}
