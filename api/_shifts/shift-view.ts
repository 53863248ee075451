import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Selectable } from 'kysely';
import type { ShiftsTable } from './tables.js';
import type { ShiftView } from '../../shared/api/shifts.js';
import { expectedCashFen } from '../../shared/shifts/cash.js';
import { store_closes_at_default } from './limits.js';
import { storedValueDrawerCash } from '../_stored-value/index.js';
import { giftDrawerCash } from '../_points-mall/index.js';

type Db = Kysely<DB> | Transaction<DB>;
type ShiftRow = Selectable<ShiftsTable>;
/** What the flows need of a shift: which it is, where, and over what span. */
type ShiftSpan = Pick<ShiftRow, 'id' | 'store_id' | 'opened_at' | 'closed_at'>;

/** Orders whose money was taken: paid, or paid and since returned in part or whole. */
export const taken_order_statuses = ['paid', 'partially_refunded', 'refunded'] as const;
/** Tenders that moved money; a pending or failed platform attempt did not. */
export const taken_tender_statuses = ['succeeded', 'refunded'] as const;

export interface ShiftFlows {
  tenders: { method: string; amountFen: number; count: number }[];
  orderCount: number;
  lateOrderCount: number;
  cashRefundsFen: number;
  /** Members' cash that is not a sale: stored-value top-ups and gift cash in, stored-value refunds out (#17). */
  memberCashFen: number;
  moves: { id: string; kind: ShiftView['moves'][number]['kind']; amountFen: number; reason: string; createdBy: string; createdAt: string }[];
}

/**
 * What went through each shift's drawer, from the records themselves: sales
 * by tender (net of change), cash refunded on returns, and the cash moves.
 * A fixed number of queries for any number of shifts, whose rows the caller has already read.
 */
export async function shiftFlows(db: Db, shifts: readonly ShiftSpan[]): Promise<Map<string, ShiftFlows>> {
  const out = new Map<string, ShiftFlows>(shifts.map((s) => [s.id, { tenders: [], orderCount: 0, lateOrderCount: 0, cashRefundsFen: 0, memberCashFen: 0, moves: [] }]));
  if (shifts.length === 0) return out;
  const ids = shifts.map((s) => s.id);
  const [tenders, orders, refunds, moves, memberCash] = await Promise.all([
    db
      .selectFrom('order_tenders as t')
      .innerJoin('orders as o', 'o.id', 't.order_id')
      .select(['o.shift_id', 't.method', sql<string>`sum(t.amount_fen)`.as('fen'), sql<string>`count(distinct t.order_id)`.as('n')])
      .where('o.shift_id', 'in', ids)
      .where('o.status', 'in', [...taken_order_statuses])
      .where('t.status', 'in', [...taken_tender_statuses])
      .groupBy(['o.shift_id', 't.method'])
      .orderBy('t.method')
      .execute(),
    db
      .selectFrom('orders')
      .select(['shift_id', sql<string>`count(*)`.as('n'), sql<string>`count(*) filter (where shift_late)`.as('late')])
      .where('shift_id', 'in', ids)
      .where('status', 'in', [...taken_order_statuses])
      .groupBy('shift_id')
      .execute(),
    db
      .selectFrom('return_refunds as rr')
      .innerJoin('returns as r', 'r.id', 'rr.return_id')
      .select(['r.shift_id', sql<string>`sum(rr.amount_fen)`.as('fen')])
      .where('r.shift_id', 'in', ids)
      .where('r.status', '=', 'completed')
      .where('rr.method', '=', 'cash')
      .groupBy('r.shift_id')
      .execute(),
    db.selectFrom('shift_cash_moves').selectAll().where('shift_id', 'in', ids).orderBy('created_at').orderBy('id').execute(),
    memberCashByShift(db, shifts),
  ]);
  for (const [id, fen] of memberCash) {
    const f = out.get(id);
    if (f) f.memberCashFen = fen;
  }
  for (const t of tenders) out.get(t.shift_id!)?.tenders.push({ method: t.method, amountFen: Number(t.fen), count: Number(t.n) });
  for (const o of orders) {
    const f = out.get(o.shift_id!);
    if (f) Object.assign(f, { orderCount: Number(o.n), lateOrderCount: Number(o.late) });
  }
  for (const r of refunds) {
    const f = out.get(r.shift_id!);
    if (f) f.cashRefundsFen = Number(r.fen);
  }
  for (const m of moves) {
    out.get(m.shift_id)?.moves.push({ id: m.id, kind: m.kind, amountFen: Number(m.amount_fen), reason: m.reason, createdBy: m.created_by, createdAt: new Date(m.created_at).toISOString() });
  }
  return out;
}

/**
 * Members' cash that is not a sale (stored-value top-ups and refunds, gift
 * cash), by the shift whose drawer took it. Those records carry no shift, so
 * each goes to the shift open in its store at that moment: the one opened by
 * the member of staff who took the money, else the store's only open one;
 * with several open and none of theirs it is left out rather than guessed,
 * as a sale with no shift is.
 */
async function memberCashByShift(db: Db, wanted: readonly ShiftSpan[]): Promise<Map<string, number>> {
  const ids = wanted.map((s) => s.id);
  const out = new Map<string, number>();
  if (wanted.length === 0) return out;
  const storeIds = [...new Set(wanted.map((s) => s.store_id))];
  const from = new Date(Math.min(...wanted.map((s) => new Date(s.opened_at).getTime())));
  // An open shift reaches as far as records go: its end is not known yet.
  const to = wanted.some((s) => s.closed_at === null) ? new Date('9999-12-31T00:00:00Z') : new Date(Math.max(...wanted.map((s) => new Date(s.closed_at!).getTime())));
  const [events, gifts, shifts] = await Promise.all([
    storedValueDrawerCash(db, { storeIds, from, to }),
    giftDrawerCash(db, { storeIds, from, to }),
    // Every shift of those stores over the span, not only the ones asked for: the rule needs all candidates.
    db
      .selectFrom('shifts')
      .select(['id', 'store_id', 'opened_by', 'opened_at', 'closed_at'])
      .where('store_id', 'in', storeIds)
      .where('opened_at', '<', to)
      .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>', from)]))
      .execute(),
  ]);
  for (const e of [...events, ...gifts]) {
    const at = e.at.getTime();
    const open = shifts.filter((s) => s.store_id === e.storeId && new Date(s.opened_at).getTime() <= at && (s.closed_at === null || at < new Date(s.closed_at).getTime()));
    const drawer = open.find((s) => s.opened_by === e.staffId) ?? (open.length === 1 ? open[0] : undefined);
    if (drawer && ids.includes(drawer.id)) out.set(drawer.id, (out.get(drawer.id) ?? 0) + e.amountFen);
  }
  return out;
}

/** The drawer's expected cash from its flows (the formula is in shared/shifts/cash.ts). */
export function cashOf(openingFloatFen: number, f: ShiftFlows): ShiftView['cash'] {
  const salesFen = f.tenders.filter((t) => t.method === 'cash').reduce((s, t) => s + t.amountFen, 0);
  const inFen = f.moves.filter((m) => m.kind === 'change_fund_in').reduce((s, m) => s + m.amountFen, 0);
  const outFen = f.moves.filter((m) => m.kind !== 'change_fund_in').reduce((s, m) => s + m.amountFen, 0);
  const memberFen = f.memberCashFen;
  return {
    salesFen,
    refundsFen: f.cashRefundsFen,
    inFen,
    outFen,
    memberFen,
    expectedFen: expectedCashFen({ openingFloatFen, cashSalesFen: salesFen, cashRefundsFen: f.cashRefundsFen, cashInFen: inFen, cashOutFen: outFen, memberCashFen: memberFen }),
  };
}

/** 'HH:MM' on a business day in Asia/Shanghai (UTC+8, no daylight saving) as an instant. */
function closingInstant(businessDate: string, closesAt: string): number {
  return Date.parse(`${businessDate}T${closesAt}:00+08:00`);
}

/** Shifts as the API shows them, with their flows, people and whether an open one is past closing time. */
export async function shiftViews(db: Db, rows: readonly ShiftRow[], now: Date): Promise<ShiftView[]> {
  if (rows.length === 0) return [];
  const staffIds = [...new Set(rows.flatMap((r) => [r.opened_by, r.closed_by, r.confirmed_by]).filter((x): x is string => x !== null))];
  const storeIds = [...new Set(rows.map((r) => r.store_id))];
  const [flows, people, settings] = await Promise.all([
    shiftFlows(db, rows),
    db.selectFrom('staff').select(['id', 'name']).where('id', 'in', staffIds).execute(),
    db.selectFrom('shift_settings').select(['store_id', 'closes_at']).where('store_id', 'in', storeIds).execute(),
  ]);
  const names = new Map(people.map((p) => [p.id, p.name]));
  const person = (id: string | null) => (id === null ? null : { id, name: names.get(id) ?? '' });
  const closesAt = new Map(settings.map((s) => [s.store_id, s.closes_at]));
  return rows.map((r) => {
    const f = flows.get(r.id)!;
    const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
    return {
      id: r.id,
      storeId: r.store_id,
      deviceId: r.device_id,
      businessDate: r.business_date,
      status: r.status,
      openedBy: person(r.opened_by)!,
      openedAt: new Date(r.opened_at).toISOString(),
      openingFloatFen: Number(r.opening_float_fen),
      // A closed shift shows the expectation it was counted against, even if a late record arrives after.
      cash: r.status === 'open' ? cashOf(Number(r.opening_float_fen), f) : { ...cashOf(Number(r.opening_float_fen), f), expectedFen: Number(r.expected_fen) },
      tenders: f.tenders,
      orderCount: f.orderCount,
      lateOrderCount: f.lateOrderCount,
      moves: f.moves,
      counts: (r.counts as ShiftView['counts']) ?? null,
      countedFen: r.counted_fen === null ? null : Number(r.counted_fen),
      varianceFen: r.variance_fen === null ? null : Number(r.variance_fen),
      closedBy: person(r.closed_by),
      closedAt: iso(r.closed_at),
      closeNote: r.close_note,
      confirmedBy: person(r.confirmed_by),
      confirmedAt: iso(r.confirmed_at),
      overdue: r.status === 'open' && now.getTime() > closingInstant(r.business_date, closesAt.get(r.store_id) ?? store_closes_at_default),
    };
  });
}
