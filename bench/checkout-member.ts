import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgres } from '../tools/testenv/postgres';
import { connect } from '../api/_db/connect';
import { issueCoupon } from '../api/_coupons/index';
import { skusForSale } from '../api/_catalog/index';
import { businessDate } from '../api/_kernel/clock';
import { priceOrder } from '../shared/pricing/index';
import { earnPoints } from '../shared/points/index';
import { coupon_per_member_max } from '../shared/api/coupons';
import { newId } from '../shared/ids';
import { startChild } from './child';
import { figure, type Figure } from './figure';
import { assertEverySaleInTheShift, checkout_clients, checkout_seconds, prepare, type StackInfo } from './checkout';
import { rawLoop } from './raw-checkout';
import { rawMemberCheckout, type RawMemberContext, type RawMemberSale } from './raw-checkout-member';

/**
 * Sales each side (API and floor) can make in its warm-up and measured
 * seconds: every sale uses one coupon, a member holds at most
 * coupon_per_member_max of the template, so this sets how many members are
 * made. Ten times what this 2-core machine does; a faster one that runs out
 * fails with this name in the message rather than measuring refusals.
 */
export const checkout_member_sales_per_side_max = 3000;
/** Each sale pays this much from stored value (the rest in cash). */
export const checkout_member_stored_value_fen = 100;
/** 充100送20: enough for every coupon a member holds to be spent with its stored-value part. */
const plan = { name: '充100送20', payFen: 10_000, bonusFen: 2_000 };
const coupon = { name: '会员立减1元', offFen: 100 };
const warmup_seconds = 2;
/** Members made at once over HTTP while setting up. */
const setup_concurrency = 4;

interface MemberStackInfo extends StackInfo {
  ownerToken: string;
}

/**
 * checkout_member_tps: a 3-line counter sale to a member who uses a coupon
 * and pays part from stored value and the rest in cash, through the whole
 * API at 4 concurrent clients, against rawMemberCheckout's hand-written SQL
 * making the same writes on the same Postgres server. The members, their
 * top-ups and the coupon template are made through the API; the coupons are
 * issued through the coupons module's issueCoupon.
 */
export async function checkoutMemberTps(): Promise<Figure[]> {
  const server = await startPostgres();
  try {
    const stack = await startChild<MemberStackInfo>('./servers/stack.ts', { BENCH_DATABASE_URL: server.url, BENCH_OWNER_LOGIN: 'o_demo_owner' });
    try {
      const info = stack.info;
      const base = await prepare(server.url, info);
      const ctx = await priceTheCart(server.url, base);
      const perSide = Math.ceil(checkout_member_sales_per_side_max / coupon_per_member_max);
      const members = await makeMembers(info, perSide * 2);
      await topUp(info, members);
      const couponsOf = await issueCoupons(server.url, info, base.merchantId, members);
      const apiSales = salesQueue(members.slice(0, perSide), couponsOf);
      const rawSales = salesQueue(members.slice(perSide), couponsOf);
      const day = businessDate(new Date());

      const body = (s: RawMemberSale) =>
        JSON.stringify({
          clientOrderId: newId('order'),
          storeId: ctx.storeId,
          lines: ctx.skus.map((k) => ({ skuId: k.id, qty: 1 })),
          deviceId: ctx.deviceId,
          memberId: s.memberId,
          couponIds: [s.couponId],
          tenders: [
            { method: 'stored_value', amountFen: ctx.storedValueFen },
            { method: 'cash', amountFen: ctx.priced.totalFen - ctx.storedValueFen },
          ],
          expectedTotalFen: ctx.priced.totalFen,
        });
      // One sale first, so a refusal stops the bench with its reason instead of a count of non-2xx.
      const probe = await fetch(`${info.url}/api/orders`, { method: 'POST', headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }, body: body(apiSales.next()) });
      if (probe.status !== 201 && probe.status !== 200) throw new Error(`checkout_member bench: the first sale got ${probe.status}: ${await probe.text()}`);
      const run = (duration: number) =>
        autocannon({
          url: `${info.url}/api/orders`,
          method: 'POST',
          connections: checkout_clients,
          duration,
          headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
          requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: body(apiSales.next()) }) }],
        });
      await run(warmup_seconds);
      const api = await run(checkout_seconds);
      apiSales.assertNotExhausted();
      if (api.non2xx > 0 || api.errors > 0) throw new Error(`checkout_member bench: ${api.non2xx} non-2xx, ${api.errors} errors`);

      const floor = (seconds: number) => rawLoop(server.url, checkout_clients, seconds, (client) => rawMemberCheckout(client, ctx, day, rawSales.next()));
      await floor(warmup_seconds);
      const raw = await floor(checkout_seconds);
      rawSales.assertNotExhausted();
      await assertEverySaleInTheShift(server.url);
      await assertSameWrites(server.url);
      return [
        figure('checkout_member_tps', 'tps', api.requests.average, raw.tps, { clients: checkout_clients, target_ratio: 0.5, db: 'postgres' }),
        figure('checkout_member_p99_ms', 'ms', api.latency.p99, raw.p99Ms, { clients: checkout_clients }),
      ];
    } finally {
      stack.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
  }
}

async function call<T>(info: StackInfo, token: string, method: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${info.url}/api${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`checkout_member bench set-up: ${method} ${path} got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function inBatches<T, R>(items: T[], size: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  return out;
}

/** Counter members with phones, made as the counter makes them. */
async function makeMembers(info: StackInfo, count: number): Promise<string[]> {
  const phones = Array.from({ length: count }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
  return inBatches(phones, setup_concurrency, async (phone) => (await call<{ member: { id: string } }>(info, info.token, 'POST', '/members', { phone })).member.id);
}

/** The owner's 充100送20 plan, and a cash top-up of it at the counter for every member. */
async function topUp(info: MemberStackInfo, members: string[]): Promise<void> {
  const made = await call<{ plan: { id: string } }>(info, info.ownerToken, 'POST', '/stored-value/plans', plan);
  await inBatches(members, setup_concurrency, (memberId) =>
    call(info, info.token, 'POST', `/stores/${info.storeId}/stored-value/top-ups`, { clientTopUpId: newId('storedValueTopUp'), memberId, planId: made.plan.id, method: 'cash' }),
  );
}

/** The owner's coupon template, and as many of its coupons as a member may hold, issued to each member by issueCoupon. */
async function issueCoupons(url: string, info: MemberStackInfo, merchantId: string, members: string[]): Promise<Map<string, string[]>> {
  const template = await call<{ template: { id: string } }>(info, info.ownerToken, 'POST', '/coupons/templates', {
    name: coupon.name,
    kind: 'amount_off',
    minSpendFen: 0,
    offFen: coupon.offFen,
    validity: { kind: 'days', days: 30 },
    perMemberMax: coupon_per_member_max,
    returnPolicy: 'never',
  });
  const handle = await connect(url);
  try {
    const couponsOf = new Map<string, string[]>();
    for (const memberId of members) {
      // One transaction per member: the template's lock serialises every issue anyway.
      const ids = await handle.db.transaction().execute(async (trx) => {
        const got: string[] = [];
        for (let i = 0; i < coupon_per_member_max; i++) {
          const r = await issueCoupon(trx, { merchantId, memberId, templateId: template.template.id, source: 'counter', idempotencyKey: `bench:${memberId}:${i}`, now: new Date() });
          if ('refused' in r) throw new Error(`checkout_member bench set-up: coupon refused: ${r.refused}`);
          got.push(r.couponId);
        }
        return got;
      });
      couponsOf.set(memberId, ids);
    }
    return couponsOf;
  } finally {
    await handle.close();
  }
}

/**
 * The sales one side makes, each member's coupons in turn and the members
 * round robin, so the sales in flight at once are of different members, as
 * at several counters.
 */
function salesQueue(members: string[], couponsOf: Map<string, string[]>) {
  const sales: RawMemberSale[] = [];
  for (let round = 0; round < coupon_per_member_max; round++) for (const memberId of members) sales.push({ memberId, couponId: couponsOf.get(memberId)![round]! });
  let at = 0;
  let exhausted = false;
  return {
    next(): RawMemberSale {
      if (at >= sales.length) exhausted = true;
      // Past the end a used coupon is sent again: refused, and reported below by the constant to raise.
      return sales[at++ % sales.length]!;
    },
    assertNotExhausted(): void {
      if (exhausted) throw new Error(`checkout_member bench: more than ${sales.length} sales on one side; raise checkout_member_sales_per_side_max`);
    },
  };
}

/**
 * The sale as the counter prices it before sending it, with the shared
 * engine on the server's own SKU read: member prices, the coupon, a cash
 * tender. The checkout compares its own price with this total, so a drift
 * stops the bench at its first sale.
 */
async function priceTheCart(url: string, base: Awaited<ReturnType<typeof prepare>>): Promise<RawMemberContext> {
  const handle = await connect(url);
  try {
    const skus = await skusForSale(handle.db, base.merchantId, base.skus.map((s) => s.id), base.storeId);
    const settings = await handle.db.selectFrom('merchant_settings').select(['points_per_yuan', 'points_redeem_per_fen']).where('merchant_id', '=', base.merchantId).executeTakeFirst();
    const result = priceOrder({
      lines: base.skus.map((s) => {
        const sku = skus.get(s.id)!;
        return { skuId: sku.id, categoryId: sku.categoryId, qty: 1, retailPriceFen: sku.retailPriceFen, memberPriceFen: sku.memberPriceFen };
      }),
      member: { id: newId('member'), pointsBalance: 0 },
      coupons: [{ id: newId('coupon'), name: coupon.name, kind: 'amount_off', minSpendFen: 0, offFen: coupon.offFen }],
      cashRounding: 'none',
      cashTender: true,
    });
    const pointsEarned = earnPoints(result.totalFen, { earnPointsPerYuan: settings?.points_per_yuan ?? 1 });
    const couponFen = result.adjustments.filter((a) => a.source.kind === 'coupon').reduce((s, a) => s + a.fen, 0);
    return {
      ...base,
      skus: base.skus.map((s) => ({ ...s, costFen: skus.get(s.id)!.costFen })),
      priced: { subtotalListFen: result.subtotalListFen, discountFen: result.discountFen, totalFen: result.totalFen, couponFen, lines: result.lines.map((l) => ({ skuId: l.skuId, unitListFen: l.unitListFen, listFen: l.listFen, netFen: l.netFen })) },
      storedValueFen: checkout_member_stored_value_fen,
      pointsEarned,
      pointsEarnedValueFen: Math.floor(pointsEarned / (settings?.points_redeem_per_fen ?? 1)),
    };
  } finally {
    await handle.close();
  }
}

/**
 * Both sides wrote the same rows per sale: a used coupon with its event, a
 * stored-value spend, an earning of points, two journal entries and three
 * stock movements for every sale to a bench member, API (request_hash a
 * hash) or floor ('raw'); and the same amounts: one total, discount and
 * points earned on every order, one shape and total of every sale's entry.
 */
async function assertSameWrites(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const benchSales = `select o.* from orders o join members m on m.id = o.member_id where m.phone like '1390000%' and o.channel = 'counter'`;
    const r = await client.query(`
      select (o.request_hash = 'raw') as raw, count(*)::int as sales,
        count(*) filter (where exists (select 1 from coupons c where c.used_order_id = o.id and c.status = 'used')
          and exists (select 1 from coupon_events e where e.order_id = o.id and e.kind = 'used'))::int as coupons,
        count(*) filter (where exists (select 1 from stored_value_ledger l where l.order_id = o.id and l.kind = 'spend'))::int as spends,
        count(*) filter (where exists (select 1 from points_ledger p where p.idempotency_key = 'earn:' || o.id))::int as points,
        count(*) filter (where (select count(*) from journal_entries j where j.event_key in ('sale:' || o.id, 'stored_value_spend:' || o.id)) = 2)::int as entries,
        count(*) filter (where (select count(*) from stock_movements m where m.ref_id = o.id and m.kind = 'sale') = 3)::int as stock
      from (${benchSales}) o group by 1`);
    if (r.rows.length !== 2) throw new Error(`checkout_member bench: expected API and floor sales, found ${r.rows.length} kinds`);
    for (const row of r.rows as { raw: boolean; sales: number; coupons: number; spends: number; points: number; entries: number; stock: number }[]) {
      const { raw, sales, ...each } = row;
      const short = Object.entries(each).filter(([, n]) => n !== sales);
      if (short.length > 0) throw new Error(`checkout_member bench: of ${sales} ${raw ? 'floor' : 'API'} sales, only ${short.map(([k, n]) => `${n} have their ${k}`).join(', ')}`);
    }
    const amounts = await client.query(`
      select count(distinct (o.total_fen, o.subtotal_list_fen, o.discount_fen, o.points_earned))::int as orders,
        count(distinct (j.line_count, j.total_fen))::int as entries
      from (${benchSales}) o join journal_entries j on j.event_key = 'sale:' || o.id`);
    const { orders, entries } = amounts.rows[0] as { orders: number; entries: number };
    if (orders !== 1 || entries !== 1) throw new Error(`checkout_member bench: the sales differ between API and floor (${orders} kinds of order amounts, ${entries} kinds of sale entry)`);
  } finally {
    await client.end();
  }
}
