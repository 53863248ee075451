import { sql } from 'kysely';
import type { TestApi } from './api-harness';
import { newId } from '../../shared/ids';
import { productPage, type SkuSummary } from '../../shared/api/catalog';

/** SKUs of the demo catalog in DEMO01, found by pinyin initials as the counter would. */
export async function findSku(api: TestApi, token: string, q: string, index = 0): Promise<SkuSummary & { name: string }> {
  const res = await api.call('GET', `/api/stores/${api.seed.storeIds.DEMO01}/products?q=${encodeURIComponent(q)}`, { token });
  const page = productPage.parse(res.body);
  const product = page.items[0];
  if (!product) throw new Error(`no product for ${q}`);
  const sku = product.skus[index];
  if (!sku) throw new Error(`no SKU ${index} for ${q}`);
  return { ...sku, name: product.name };
}

export function orderId(): string {
  return newId('order');
}

/** Every invariant of the books and the stock that must hold after any sequence of operations. */
export async function checkInvariants(api: TestApi) {
  const db = api.deps.db;
  const unbalanced = await sql<{ n: number }>`
    select count(*)::int as n from (
      select entry_id from journal_lines group by entry_id having sum(debit_fen) <> sum(credit_fen)
    ) x`.execute(db);
  const totals = await sql<{ d: number; c: number }>`select coalesce(sum(debit_fen),0)::bigint as d, coalesce(sum(credit_fen),0)::bigint as c from journal_lines`.execute(db);
  const stockDrift = await sql<{ n: number }>`
    select count(*)::int as n from stock_levels l
    left join (select store_id, sku_id, sum(on_hand_delta) as s, sum(reserved_delta) as r from stock_movements group by store_id, sku_id) m
      on m.store_id = l.store_id and m.sku_id = l.sku_id
    where l.on_hand <> coalesce(m.s, 0) or l.reserved <> coalesce(m.r, 0)`.execute(db);
  const negative = await sql<{ n: number }>`
    select count(*)::int as n from stock_levels l
    where l.on_hand - l.reserved < 0
      and not exists (select 1 from stock_movements m join orders o on o.id = m.ref_id where m.store_id = l.store_id and m.sku_id = l.sku_id and o.stock_flagged)`.execute(db);
  const pointsDrift = await sql<{ n: number }>`
    select count(*)::int as n from (
      select member_id, sum(delta) as s, (array_agg(balance_after order by seq desc))[1] as last from points_ledger group by member_id
    ) p where p.s <> p.last or p.s < 0`.execute(db);
  return {
    unbalancedEntries: unbalanced.rows[0]!.n,
    trialBalanceDifference: Number(totals.rows[0]!.d) - Number(totals.rows[0]!.c),
    stockLevelsOffLedger: stockDrift.rows[0]!.n,
    negativeAvailableUnflagged: negative.rows[0]!.n,
    pointsOffLedger: pointsDrift.rows[0]!.n,
  };
}

export const invariantsHold = {
  unbalancedEntries: 0,
  trialBalanceDifference: 0,
  stockLevelsOffLedger: 0,
  negativeAvailableUnflagged: 0,
  pointsOffLedger: 0,
};
