import type { Kysely } from 'kysely';
import type { DB } from '../../api/_db/schema';
import { businessDate } from '../../api/_kernel/clock';

/**
 * The sales reports recomputed in plain JS from the raw records (orders,
 * lines, tenders, returns, their lines and refunds), without the rollups and
 * without the report code's helpers: the independent side of the differential tests.
 */
export interface Facts {
  sales: { orderId: string; store: string; day: string; staff: string; channel: string; total: number; qty: number; net: number; cost: number }[];
  saleLines: { store: string; day: string; sku: string; category: string; qty: number; net: number; cost: number }[];
  tenders: { store: string; day: string; method: string; fen: number }[];
  returns: { store: string; day: string; staff: string; channel: string; qty: number; fen: number; cost: number }[];
  returnLines: { store: string; day: string; sku: string; category: string; qty: number; fen: number; cost: number }[];
  refunds: { store: string; day: string; method: string; fen: number }[];
}

export async function loadFacts(db: Kysely<DB>, merchantId: string): Promise<Facts> {
  const orders = await db.selectFrom('orders').selectAll().where('merchant_id', '=', merchantId).execute();
  const lines = await db.selectFrom('order_lines').selectAll().where('merchant_id', '=', merchantId).execute();
  const tenders = await db.selectFrom('order_tenders').selectAll().where('merchant_id', '=', merchantId).execute();
  const returns = await db.selectFrom('returns').selectAll().where('merchant_id', '=', merchantId).execute();
  const rLines = await db.selectFrom('return_lines').innerJoin('returns', 'returns.id', 'return_lines.return_id').selectAll('return_lines').where('returns.merchant_id', '=', merchantId).execute();
  const refunds = await db.selectFrom('return_refunds').innerJoin('returns', 'returns.id', 'return_refunds.return_id').selectAll('return_refunds').where('returns.merchant_id', '=', merchantId).execute();

  const sold = new Set(['paid', 'partially_refunded', 'refunded']);
  const orderById = new Map(orders.map((o) => [o.id, o]));
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const facts: Facts = { sales: [], saleLines: [], tenders: [], returns: [], returnLines: [], refunds: [] };
  for (const o of orders) {
    if (!sold.has(o.status)) continue;
    const mine = lines.filter((l) => l.order_id === o.id);
    facts.sales.push({
      orderId: o.id,
      store: o.store_id,
      day: o.business_date,
      staff: o.staff_id ?? '',
      channel: o.channel,
      total: Number(o.total_fen),
      qty: mine.reduce((s, l) => s + l.qty, 0),
      net: mine.reduce((s, l) => s + Number(l.net_fen), 0),
      cost: mine.reduce((s, l) => s + Number(l.cost_fen), 0),
    });
    for (const l of mine) facts.saleLines.push({ store: o.store_id, day: o.business_date, sku: l.sku_id, category: l.category_id, qty: l.qty, net: Number(l.net_fen), cost: Number(l.cost_fen) });
  }
  for (const t of tenders) {
    const o = orderById.get(t.order_id)!;
    if (sold.has(o.status)) facts.tenders.push({ store: o.store_id, day: o.business_date, method: t.method, fen: Number(t.amount_fen) });
  }
  for (const r of returns) {
    if (r.status !== 'completed') continue;
    // The money went back when the return completed: on approval if it needed one.
    const day = r.decided_at ? businessDate(new Date(r.decided_at)) : r.business_date;
    const o = orderById.get(r.order_id)!;
    let qty = 0;
    let fen = 0;
    let cost = 0;
    for (const rl of rLines.filter((x) => x.return_id === r.id)) {
      const l = lineById.get(rl.order_line_id)!;
      const share = Math.floor((Number(l.cost_fen) * rl.qty) / l.qty);
      qty += rl.qty;
      fen += Number(rl.amount_fen);
      cost += share;
      facts.returnLines.push({ store: r.store_id, day, sku: l.sku_id, category: l.category_id, qty: rl.qty, fen: Number(rl.amount_fen), cost: share });
    }
    facts.returns.push({ store: r.store_id, day, staff: o.staff_id ?? '', channel: o.channel, qty, fen, cost });
    for (const f of refunds.filter((x) => x.return_id === r.id)) facts.refunds.push({ store: r.store_id, day, method: f.method, fen: Number(f.amount_fen) });
  }
  return facts;
}

export interface Filter {
  stores: string[];
  from: string;
  to: string;
}

const within = (f: Filter) => (x: { store: string; day: string }) => f.stores.includes(x.store) && x.day >= f.from && x.day <= f.to;

/** Half away from zero, on the exact quotient of two safe integers small enough for doubles. */
const roundDiv = (num: number, den: number, scale: number) => (den === 0 ? 0 : Math.sign(num * den) * Math.round(Math.abs((num * scale) / den)));

export function orderFigures(facts: Facts, f: Filter, key: (x: { store: string; day: string; staff: string; channel: string }) => string): Map<string, Record<string, number>> {
  const out = new Map<string, { orders: number; sales: number; refunds: number; items: number; ritems: number; cost: number; rcost: number }>();
  const get = (k: string) => out.get(k) ?? (out.set(k, { orders: 0, sales: 0, refunds: 0, items: 0, ritems: 0, cost: 0, rcost: 0 }), out.get(k)!);
  for (const s of facts.sales.filter(within(f))) {
    const a = get(key(s));
    a.orders++;
    a.sales += s.total;
    a.items += s.qty;
    a.cost += s.cost;
  }
  for (const r of facts.returns.filter(within(f))) {
    const a = get(key(r));
    a.refunds += r.fen;
    a.ritems += r.qty;
    a.rcost += r.cost;
  }
  return new Map(
    [...out].map(([k, a]) => {
      const net = a.sales - a.refunds;
      const margin = net - (a.cost - a.rcost);
      return [k, { orderCount: a.orders, salesFen: a.sales, refundFen: a.refunds, netSalesFen: net, netQty: a.items - a.ritems, avgTicketFen: roundDiv(a.sales, a.orders, 1), itemsPerSaleX100: roundDiv(a.items, a.orders, 100), costFen: a.cost - a.rcost, marginFen: margin, marginBp: roundDiv(margin, net, 10_000) }];
    }),
  );
}

export function goodsFigures(facts: Facts, f: Filter, key: (x: { sku: string; category: string }) => string): Map<string, Record<string, number>> {
  const out = new Map<string, { q: number; s: number; c: number; rq: number; rs: number; rc: number }>();
  const get = (k: string) => out.get(k) ?? (out.set(k, { q: 0, s: 0, c: 0, rq: 0, rs: 0, rc: 0 }), out.get(k)!);
  for (const l of facts.saleLines.filter(within(f))) {
    const a = get(key(l));
    a.q += l.qty;
    a.s += l.net;
    a.c += l.cost;
  }
  for (const l of facts.returnLines.filter(within(f))) {
    const a = get(key(l));
    a.rq += l.qty;
    a.rs += l.fen;
    a.rc += l.cost;
  }
  return new Map(
    [...out].map(([k, a]) => {
      const net = a.s - a.rs;
      const margin = net - (a.c - a.rc);
      return [k, { netQty: a.q - a.rq, soldFen: a.s, returnedFen: a.rs, netSalesFen: net, costFen: a.c - a.rc, marginFen: margin, marginBp: roundDiv(margin, net, 10_000) }];
    }),
  );
}

export function tenderFigures(facts: Facts, f: Filter): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const get = (k: string) => out.get(k) ?? (out.set(k, { takenCount: 0, takenFen: 0, refundCount: 0, refundedFen: 0, netFen: 0 }), out.get(k)!);
  for (const t of facts.tenders.filter(within(f))) {
    const a = get(t.method);
    a.takenCount!++;
    a.takenFen! += t.fen;
    a.netFen! += t.fen;
  }
  for (const r of facts.refunds.filter(within(f))) {
    const a = get(r.method);
    a.refundCount!++;
    a.refundedFen! += r.fen;
    a.netFen! -= r.fen;
  }
  return out;
}
