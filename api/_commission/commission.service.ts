import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { audit } from '../_audit/index.js';
import { postEntry } from '../_ledger/index.js';
import { businessDate } from '../_kernel/clock.js';
import { salesFiguresBy, sold_statuses } from '../_reports/index.js';
import { computeCommission, tierProblem, type CommissionRule, type SalesLine, type Tier } from '../../shared/commission/compute.js';
import type { CommissionRuleRequest } from '../../shared/api/commission.js';
import { newId } from '../../shared/ids.js';

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/** First and last business day of YYYY-MM. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

async function activeRules(db: Kysely<DB>, merchantId: string): Promise<(CommissionRule & { targetName: string })[]> {
  const rows = await db
    .selectFrom('commission_rules as r')
    .leftJoin('categories as c', 'c.id', 'r.category_id')
    .leftJoin('skus as s', 's.id', 'r.sku_id')
    .leftJoin('products as p', 'p.id', 's.product_id')
    .select(['r.id', 'r.scope', 'r.role', 'r.category_id', 'r.sku_id', 'r.kind', 'r.tiers', 'c.name as category_name', 'p.name as product_name', 's.barcode'])
    .where('r.merchant_id', '=', merchantId)
    .where('r.active', '=', true)
    .orderBy('r.scope')
    .orderBy('r.id')
    .execute();
  const roleNames: Record<string, string> = { owner: '店主', manager: '店长', assistant: '店员' };
  return rows.map((r) => ({
    id: r.id,
    scope: r.scope,
    role: r.role,
    categoryId: r.category_id,
    skuId: r.sku_id,
    kind: r.kind,
    tiers: (typeof r.tiers === 'string' ? JSON.parse(r.tiers) : r.tiers) as Tier[],
    targetName: r.scope === 'role' ? (roleNames[r.role ?? ''] ?? '') : r.scope === 'category' ? (r.category_name ?? '') : `${r.product_name ?? ''} ${r.barcode ?? ''}`.trim(),
  }));
}

export async function listRules(db: Kysely<DB>, merchantId: string) {
  return (await activeRules(db, merchantId)).map((r) => ({ ...r, role: r.role ?? null, categoryId: r.categoryId ?? null, skuId: r.skuId ?? null }));
}

/**
 * Sets the rule for a role, category or SKU, replacing the active one for the
 * same target (the old row stays, inactive, for the record). Overlapping
 * tiers, or a category or SKU of another merchant, are refused.
 */
export async function saveRule(db: Kysely<DB>, staff: StaffPrincipal, input: CommissionRuleRequest): Promise<string> {
  const problem = tierProblem(input.kind, input.tiers.map((t) => ({ ...t })));
  if (problem) throw new AppError('validation_failed', problem, [{ path: 'tiers', message: problem }]);
  if (input.categoryId) {
    const c = await db.selectFrom('categories').select('id').where('id', '=', input.categoryId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!c) throw new AppError('validation_failed', `找不到品类 ${input.categoryId}`);
  }
  if (input.skuId) {
    const s = await db.selectFrom('skus').select('id').where('id', '=', input.skuId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!s) throw new AppError('validation_failed', `找不到商品 ${input.skuId}`);
  }
  const id = newId('commissionRule');
  try {
    await db.transaction().execute(async (trx) => {
      let old = trx.updateTable('commission_rules').set({ active: false }).where('merchant_id', '=', staff.merchantId).where('scope', '=', input.scope).where('active', '=', true);
      if (input.scope === 'role') old = old.where('role', '=', input.role!);
      if (input.scope === 'category') old = old.where('category_id', '=', input.categoryId!);
      if (input.scope === 'sku') old = old.where('sku_id', '=', input.skuId!);
      await old.execute();
      await trx
        .insertInto('commission_rules')
        .values({
          id,
          merchant_id: staff.merchantId,
          scope: input.scope,
          role: input.role ?? null,
          category_id: input.categoryId ?? null,
          sku_id: input.skuId ?? null,
          kind: input.kind,
          tiers: JSON.stringify([...input.tiers].sort((a, b) => a.fromFen - b.fromFen)),
          created_by: staff.staffId,
        })
        .execute();
      await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'commission.rule_saved', subjectId: id, detail: { ...input } });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', '同一对象的提成规则正被同时修改，请重试');
    throw e;
  }
  return id;
}

export async function deactivateRule(db: Kysely<DB>, staff: StaffPrincipal, ruleId: string): Promise<void> {
  const done = await db.updateTable('commission_rules').set({ active: false }).where('id', '=', ruleId).where('merchant_id', '=', staff.merchantId).where('active', '=', true).executeTakeFirst();
  if (done.numUpdatedRows !== 1n) throw new AppError('not_found', `找不到生效中的提成规则 ${ruleId}`);
  await audit(db, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'commission.rule_deactivated', subjectId: ruleId });
}

/**
 * The Beijing day a return completed (its approval, or its request when none
 * was needed): the day the reports and 业绩与提成's figures count it on, so a
 * statement and the performance table put a return in the same month.
 */
const returnDay = sql<string>`coalesce((r.decided_at at time zone 'Asia/Shanghai')::date, r.business_date)`;

/**
 * The parent of a line's category: the one kept on the line at the sale
 * (migration 0052), else, for lines sold before that, the category's parent
 * now, so a rule on 服装 pays for earlier 服装 › 上衣 sales too.
 */
const parentOfLine = sql<string | null>`coalesce(l.parent_category_id, c.parent_id)`;

/**
 * Each seller's sales lines in [from, to], net of the returns completed in
 * the same period (whenever the goods were sold), by SKU: sales add, returns
 * subtract. Optionally one store only.
 */
async function netLines(db: Kysely<DB>, merchantId: string, from: string, to: string, storeIds?: readonly string[]) {
  let sales = db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', 'o.id', 'l.order_id')
    .leftJoin('categories as c', 'c.id', 'l.category_id')
    .select(['o.staff_id', 'l.sku_id', 'l.category_id', parentOfLine.as('parent_category_id'), sql<number>`sum(l.net_fen)::bigint`.as('fen'), sql<number>`sum(l.qty)::bigint`.as('qty')])
    .where('o.merchant_id', '=', merchantId)
    .where('o.business_date', '>=', from)
    .where('o.business_date', '<=', to)
    .where('o.status', 'in', sold_statuses)
    .where('o.staff_id', 'is not', null)
    .groupBy(['o.staff_id', 'l.sku_id', 'l.category_id']).groupBy(parentOfLine);
  let returns = db
    .selectFrom('return_lines as rl')
    .innerJoin('returns as r', 'r.id', 'rl.return_id')
    .innerJoin('order_lines as l', 'l.id', 'rl.order_line_id')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .leftJoin('categories as c', 'c.id', 'l.category_id')
    .select(['o.staff_id', 'l.sku_id', 'l.category_id', parentOfLine.as('parent_category_id'), sql<number>`sum(rl.amount_fen)::bigint`.as('fen'), sql<number>`sum(rl.qty)::bigint`.as('qty')])
    .where('r.merchant_id', '=', merchantId)
    .where('r.status', '=', 'completed')
    .where(returnDay, '>=', from)
    .where(returnDay, '<=', to)
    .where('o.staff_id', 'is not', null)
    .groupBy(['o.staff_id', 'l.sku_id', 'l.category_id']).groupBy(parentOfLine);
  if (storeIds) {
    sales = sales.where('o.store_id', 'in', storeIds);
    returns = returns.where('o.store_id', 'in', storeIds);
  }
  const [s, r] = await Promise.all([sales.execute(), returns.execute()]);
  const byStaff = new Map<string, SalesLine[]>();
  const add = (staffId: string, line: SalesLine) => byStaff.set(staffId, [...(byStaff.get(staffId) ?? []), line]);
  for (const x of s) add(x.staff_id!, { skuId: x.sku_id, categoryId: x.category_id, parentCategoryId: x.parent_category_id, netFen: Number(x.fen), qty: Number(x.qty) });
  for (const x of r) add(x.staff_id!, { skuId: x.sku_id, categoryId: x.category_id, parentCategoryId: x.parent_category_id, netFen: -Number(x.fen), qty: -Number(x.qty) });
  return byStaff;
}

/**
 * Per seller over [from, to] in the given stores: the sales figures of
 * `shared/figures.ts` from the reports module (单数, 销售额, 退款额 as returnsFen,
 * 净销售额, 客单价 and 客件数, the same numbers the boss home and the sales
 * reports show), the pieces net of returns, and the discounts given on the sales.
 */
export async function performance(db: Kysely<DB>, merchantId: string, storeIds: readonly string[], from: string, to: string) {
  if (storeIds.length === 0) return [];
  const [figures, discounts, staff] = await Promise.all([
    salesFiguresBy(db, { merchantId, storeIds, from, to }, 'staff'),
    db
      .selectFrom('orders as o')
      .select(['o.staff_id', sql<number>`sum(o.discount_fen)::bigint`.as('discount')])
      .where('o.merchant_id', '=', merchantId)
      .where('o.store_id', 'in', storeIds)
      .where('o.business_date', '>=', from)
      .where('o.business_date', '<=', to)
      .where('o.status', 'in', sold_statuses)
      .where('o.staff_id', 'is not', null)
      .groupBy('o.staff_id')
      .execute(),
    db.selectFrom('staff').select(['id', 'name']).where('merchant_id', '=', merchantId).execute(),
  ]);
  const names = new Map(staff.map((s) => [s.id, s.name]));
  const discountOf = new Map(discounts.map((d) => [d.staff_id!, Number(d.discount)]));
  return [...figures]
    .filter(([id]) => id !== '')
    .map(([id, f]) => ({
      staffId: id,
      name: names.get(id) ?? '',
      saleCount: f.orderCount,
      salesFen: f.salesFen,
      discountFen: discountOf.get(id) ?? 0,
      returnsFen: f.refundFen,
      netSalesFen: f.netSalesFen,
      items: f.netQty,
      avgTicketFen: f.avgTicketFen,
      itemsPerSaleCentis: f.itemsPerSaleX100,
    }))
    .sort((a, b) => b.netSalesFen - a.netSalesFen || (a.staffId < b.staffId ? -1 : 1));
}

/**
 * Every active staff member's commission for a month: confirmed statements
 * as they were confirmed, the others computed now from the records.
 */
export async function statements(db: Kysely<DB>, merchantId: string, month: string) {
  const { from, to } = monthRange(month);
  const [rules, lines, staff, confirmed] = await Promise.all([
    activeRules(db, merchantId),
    netLines(db, merchantId, from, to),
    db.selectFrom('staff').select(['id', 'name', 'role', 'active']).where('merchant_id', '=', merchantId).orderBy('name').execute(),
    db.selectFrom('commission_statements').selectAll().where('merchant_id', '=', merchantId).where('month', '=', month).execute(),
  ]);
  const done = new Map(confirmed.map((c) => [c.staff_id, c]));
  return staff
    .filter((s) => s.active || done.has(s.id) || lines.has(s.id))
    .map((s) => {
      const c = done.get(s.id);
      if (c) {
        const detail = (typeof c.detail === 'string' ? JSON.parse(c.detail) : c.detail) as { byRule: { ruleId: string; kind: string; basisFen: number; qty: number; amountFen: number }[] };
        return { staffId: s.id, name: s.name, role: s.role, month, netSalesFen: c.net_sales_fen, amountFen: c.amount_fen, status: 'confirmed' as const, confirmedAt: c.confirmed_at.toISOString(), byRule: detail.byRule };
      }
      const r = computeCommission(lines.get(s.id) ?? [], s.role, rules);
      return { staffId: s.id, name: s.name, role: s.role, month, netSalesFen: r.netSalesFen, amountFen: r.amountFen, status: 'draft' as const, confirmedAt: null, byRule: r.byRule.map(({ ruleId, kind, basisFen, qty, amountFen }) => ({ ruleId, kind, basisFen, qty, amountFen })) };
    });
}

/**
 * The owner confirms one assistant's statement for a finished month, once:
 * the amount must be the one the owner saw (else the records changed and
 * they must look again); the row's unique key makes a second confirmation a
 * conflict; the expense is booked against an accrued-commission liability.
 */
export async function confirmStatement(db: Kysely<DB>, staff: StaffPrincipal, input: { staffId: string; month: string; expectedAmountFen: number }, now: Date) {
  const today = businessDate(now);
  if (monthRange(input.month).to >= today) throw new AppError('validation_failed', `${input.month} 还没结束，月末之后才能确认提成`);
  const current = (await statements(db, staff.merchantId, input.month)).find((s) => s.staffId === input.staffId);
  if (!current) throw new AppError('not_found', `找不到员工 ${input.staffId}`);
  if (current.status === 'confirmed') throw new AppError('conflict', `${current.name} ${input.month} 的提成已确认过`);
  if (current.amountFen !== input.expectedAmountFen) throw new AppError('conflict', `提成已变为 ${current.amountFen} 分（你看到的是 ${input.expectedAmountFen} 分），请刷新后再确认`);
  const id = newId('commissionStatement');
  await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('commission_statements')
      .values({ id, merchant_id: staff.merchantId, staff_id: input.staffId, month: input.month, net_sales_fen: current.netSalesFen, amount_fen: current.amountFen, detail: JSON.stringify({ byRule: current.byRule }), confirmed_by: staff.staffId })
      .onConflict((oc) => oc.columns(['merchant_id', 'staff_id', 'month']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw new AppError('conflict', `${current.name} ${input.month} 的提成已确认过`);
    if (current.amountFen > 0) {
      await postEntry(trx, {
        merchantId: staff.merchantId,
        storeId: null,
        eventKey: `commission:${id}`,
        businessDate: today,
        occurredAt: now,
        memo: `${input.month} 销售提成 ${current.name}`.slice(0, 200),
        lines: [
          { account: 'commission_expense', debitFen: current.amountFen },
          { account: 'commission_payable', creditFen: current.amountFen },
        ],
      });
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'commission.confirmed', subjectId: id, detail: { staffId: input.staffId, month: input.month, amountFen: current.amountFen, netSalesFen: current.netSalesFen } });
  });
  return (await statements(db, staff.merchantId, input.month)).find((s) => s.staffId === input.staffId)!;
}
