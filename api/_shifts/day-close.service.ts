import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import type { DayCloseView } from '../../shared/api/shifts.js';
import { shiftViews, taken_order_statuses, taken_tender_statuses } from './shift-view.js';
import { day_close_shifts_max } from './limits.js';

/**
 * The day close (日结) of one store and business day: its shifts, takings by
 * tender, returns, 抹零, the drawers' variance, platform payments still
 * waiting, and sales that went through no shift. Everything is read from the
 * records; a closed day keeps the summary it was closed with as well.
 */
export async function dayCloseView(db: Kysely<DB>, staff: StaffPrincipal, storeId: string, date: string, now: Date): Promise<DayCloseView> {
  await assertStoreAccess(db, staff, storeId);
  const [store, shiftRows, tenders, sales, returns, pending, unshifted, closed] = await Promise.all([
    db.selectFrom('stores').select(['name']).where('id', '=', storeId).executeTakeFirstOrThrow(),
    db.selectFrom('shifts').selectAll().where('store_id', '=', storeId).where('business_date', '=', date).orderBy('opened_at').limit(day_close_shifts_max).execute(),
    db
      .selectFrom('order_tenders as t')
      .innerJoin('orders as o', 'o.id', 't.order_id')
      .select(['t.method', sql<string>`sum(t.amount_fen)`.as('fen'), sql<string>`count(distinct t.order_id)`.as('n')])
      .where('o.store_id', '=', storeId)
      .where('o.business_date', '=', date)
      .where('o.status', 'in', [...taken_order_statuses])
      .where('t.status', 'in', [...taken_tender_statuses])
      .groupBy('t.method')
      .orderBy('t.method')
      .execute(),
    db
      .selectFrom('orders')
      .select([sql<string>`coalesce(sum(total_fen), 0)`.as('fen'), sql<string>`count(*)`.as('n'), sql<string>`coalesce(sum(rounding_fen), 0)`.as('rounding')])
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .where('status', 'in', [...taken_order_statuses])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('returns')
      .select([sql<string>`coalesce(sum(amount_fen), 0)`.as('fen'), sql<string>`count(*)`.as('n')])
      .where('store_id', '=', storeId)
      .where('business_date', '=', date)
      .where('status', '=', 'completed')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('payments')
      .select([sql<string>`coalesce(sum(amount_fen), 0)`.as('fen'), sql<string>`count(*)`.as('n')])
      .where('store_id', '=', storeId)
      .where('status', '=', 'pending')
      .where(sql<boolean>`(created_at at time zone 'Asia/Shanghai')::date = ${date}::date`)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('orders as o')
      .leftJoin('order_tenders as t', (j) => j.onRef('t.order_id', '=', 'o.id').on('t.method', '=', 'cash'))
      .select([sql<string>`count(distinct o.id)`.as('n'), sql<string>`coalesce(sum(t.amount_fen), 0)`.as('cash')])
      .where('o.store_id', '=', storeId)
      .where('o.business_date', '=', date)
      .where('o.channel', '=', 'counter')
      .where('o.shift_id', 'is', null)
      .where('o.status', 'in', [...taken_order_statuses])
      .executeTakeFirstOrThrow(),
    db.selectFrom('day_closes').select(['closed_by', 'closed_at']).where('store_id', '=', storeId).where('business_date', '=', date).executeTakeFirst(),
  ]);
  const shifts = await shiftViews(db, shiftRows, now);
  const closer = closed ? await db.selectFrom('staff').select(['id', 'name']).where('id', '=', closed.closed_by).executeTakeFirst() : undefined;
  return {
    storeId,
    storeName: store.name,
    businessDate: date,
    shifts,
    openShiftCount: shifts.filter((s) => s.status === 'open').length,
    tenders: tenders.map((t) => ({ method: t.method, amountFen: Number(t.fen), count: Number(t.n) })),
    salesFen: Number(sales.fen),
    orderCount: Number(sales.n),
    returns: { count: Number(returns.n), amountFen: Number(returns.fen) },
    roundingFen: Number(sales.rounding),
    varianceFen: shifts.reduce((s, x) => s + (x.varianceFen ?? 0), 0),
    pendingPayments: { count: Number(pending.n), amountFen: Number(pending.fen) },
    unshifted: { count: Number(unshifted.n), cashFen: Number(unshifted.cash) },
    closed: closed ? { by: { id: closed.closed_by, name: closer?.name ?? '' }, at: new Date(closed.closed_at).toISOString() } : null,
  };
}

/**
 * Closes a store's day once every shift of it is closed. One row per store
 * and day, so a second close answers with the first; the summary kept is
 * what the manager saw when closing.
 */
export async function closeDay(deps: Deps, staff: StaffPrincipal, storeId: string, date: string): Promise<DayCloseView> {
  const now = deps.clock();
  const view = await dayCloseView(deps.db, staff, storeId, date, now);
  if (view.closed) return view;
  if (view.openShiftCount > 0) throw new AppError('conflict', `还有 ${view.openShiftCount} 个班次未交班，请先交班再日结`);
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('day_closes')
      .values({ merchant_id: staff.merchantId, store_id: storeId, business_date: date, closed_by: staff.staffId, closed_at: now, summary: JSON.stringify(view) })
      .onConflict((oc) => oc.columns(['store_id', 'business_date']).doNothing())
      .returning('store_id')
      .executeTakeFirst();
    if (inserted) await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'day.closed', subjectId: `${storeId}:${date}`, detail: { salesFen: view.salesFen, varianceFen: view.varianceFen, pendingPayments: view.pendingPayments } });
  });
  return dayCloseView(deps.db, staff, storeId, date, now);
}
