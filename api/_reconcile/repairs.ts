import type { Deps } from '../_kernel/deps.js';
import { postEntry } from '../_ledger/index.js';
import { applyTrade } from '../_payments/index.js';
import { audit } from '../_audit/index.js';
import type { BillChannel } from '../../shared/bills/types.js';
import { reconcileSettings, feeFenOf } from './settings.js';
import { reconcile_repairs_batch } from './limits.js';

/** The differences a run hands to repair; matched and crossed-midnight records need nothing. */
const repairable = ['missing_in_system', 'missing_in_bill', 'amount_mismatch', 'status_mismatch', 'fee_difference'] as const;

/**
 * What is done about each difference, recorded once per item:
 * - a payment we hold as unpaid that the bill shows paid is asked of the
 *   platform and settled through `applyTrade` (a lost notification);
 * - an amount off by no more than the merchant's tolerance is booked as an
 *   adjustment (自动调账) with an audit record;
 * - everything else is an exception the owner resolves in the app.
 * The bill's fees are posted once per merchant × channel × day.
 */
export async function repairRun(deps: Deps, r: { runId: string; merchantId: string; channel: BillChannel; billDate: string; billId: string; actorId: string | null }): Promise<void> {
  const { toleranceFen } = await reconcileSettings(deps, r.merchantId);
  const items = await deps.db
    .selectFrom('reconcile_items')
    .selectAll()
    .where('run_id', '=', r.runId)
    .where('class', 'in', [...repairable])
    .orderBy('id')
    .execute();
  const clearing = r.channel === 'wechat' ? 'clearing_wechat' : 'clearing_alipay';
  const records: { item_id: number; run_id: string; action: 'settled' | 'adjusted' | 'exception'; detail: string }[] = [];
  for (const item of items) {
    let action: 'settled' | 'adjusted' | 'exception' = 'exception';
    let detail: Record<string, unknown> = {};
    if (item.class === 'missing_in_system' && item.kind === 'payment' && item.payment_id && item.bill_status === 'SUCCESS') {
      try {
        const channel = deps.payments.get(r.channel);
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
      if (Math.abs(diff) <= toleranceFen) {
        // The platform holds what its bill says: the clearing account follows it, the difference is other income or loss.
        await deps.db.transaction().execute(async (trx) => {
          await postEntry(trx, {
            merchantId: r.merchantId,
            eventKey: `reconcile_adjust:${item.payment_id}`,
            businessDate: r.billDate,
            memo: `对账自动调账：${item.out_no} 账单 ${item.bill_amount_fen} 分，系统 ${item.system_amount_fen} 分`,
            lines: diff > 0 ? [{ account: clearing, debitFen: diff }, { account: 'rounding', creditFen: diff }] : [{ account: 'rounding', debitFen: -diff }, { account: clearing, creditFen: -diff }],
          });
          await audit(trx, { merchantId: r.merchantId, actorId: r.actorId, action: 'reconcile.auto_adjust', subjectId: item.payment_id, detail: { runId: r.runId, outTradeNo: item.out_no, billFen: item.bill_amount_fen, systemFen: item.system_amount_fen, diffFen: diff, toleranceFen } });
        });
        action = 'adjusted';
        detail = { diffFen: diff, toleranceFen };
      } else detail = { diffFen: diff, toleranceFen };
    }
    records.push({ item_id: item.id, run_id: r.runId, action, detail: JSON.stringify(detail) });
  }
  for (let i = 0; i < records.length; i += reconcile_repairs_batch) await deps.db.insertInto('reconcile_repairs').values(records.slice(i, i + reconcile_repairs_batch)).execute();

  const bill = await deps.db.selectFrom('reconcile_bills').select('fee_milli').where('id', '=', r.billId).executeTakeFirstOrThrow();
  const feeFen = feeFenOf(Number(bill.fee_milli));
  if (feeFen !== 0) {
    await deps.db.transaction().execute((trx) =>
      postEntry(trx, {
        merchantId: r.merchantId,
        eventKey: `reconcile_fees:${r.channel}:${r.billDate}`,
        businessDate: r.billDate,
        memo: `${r.channel === 'wechat' ? '微信支付' : '支付宝'} ${r.billDate} 手续费（对账单）`,
        lines: feeFen > 0 ? [{ account: 'fees', debitFen: feeFen }, { account: clearing, creditFen: feeFen }] : [{ account: clearing, debitFen: -feeFen }, { account: 'fees', creditFen: -feeFen }],
      }),
    );
  }
}
