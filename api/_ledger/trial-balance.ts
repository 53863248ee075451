import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { TrialBalanceLine, TrialBalanceResponse } from '../../shared/api/ledger.js';

export interface TrialBalanceFilter {
  /** First business day included, YYYY-MM-DD. */
  from?: string | undefined;
  /** Last business day included, YYYY-MM-DD. */
  to?: string | undefined;
  /** One store's entries. */
  storeId?: string | undefined;
  /** Only entries of these stores, for a caller who sees only some; undefined means no such limit. */
  storeIds?: readonly string[] | undefined;
}

/**
 * 试算平衡表: the debit and credit totals per account over the entries the
 * filter selects, with every account of the chart listed, zero or not.
 * Every entry balances on its own, so any selection of whole entries does too.
 */
export async function trialBalance(db: Kysely<DB>, merchantId: string, f: TrialBalanceFilter = {}): Promise<TrialBalanceResponse> {
  let sums = db
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', (join) => join.onRef('e.merchant_id', '=', 'l.merchant_id').onRef('e.id', '=', 'l.entry_id'))
    .select(['l.account', sql<number>`sum(l.debit_fen)::bigint`.as('debit'), sql<number>`sum(l.credit_fen)::bigint`.as('credit')])
    .where('l.merchant_id', '=', merchantId)
    .groupBy('l.account');
  if (f.from) sums = sums.where('e.business_date', '>=', f.from);
  if (f.to) sums = sums.where('e.business_date', '<=', f.to);
  if (f.storeId) sums = sums.where('e.store_id', '=', f.storeId);
  if (f.storeIds) sums = f.storeIds.length > 0 ? sums.where('e.store_id', 'in', f.storeIds) : sums.where(sql<boolean>`false`);
  const [accounts, totals] = await Promise.all([
    db.selectFrom('ledger_accounts').select(['code', 'number', 'name', 'type', 'normal_side']).where('merchant_id', '=', merchantId).orderBy('number').execute(),
    sums.execute(),
  ]);
  const byAccount = new Map(totals.map((t) => [t.account, t]));
  let debitFen = 0;
  let creditFen = 0;
  const lines = accounts.map((a): TrialBalanceLine => {
    const t = byAccount.get(a.code);
    const debit = t?.debit ?? 0;
    const credit = t?.credit ?? 0;
    debitFen += debit;
    creditFen += credit;
    return {
      account: a.code,
      number: a.number,
      name: a.name,
      type: a.type,
      normalSide: a.normal_side,
      debitFen: debit,
      creditFen: credit,
      balanceFen: a.normal_side === 'debit' ? debit - credit : credit - debit,
    };
  });
  assert.ok(Number.isSafeInteger(debitFen) && Number.isSafeInteger(creditFen), 'trialBalance: totals beyond the safe integer range');
  return { from: f.from ?? null, to: f.to ?? null, storeId: f.storeId ?? null, accounts: lines, totals: { debitFen, creditFen } };
}
