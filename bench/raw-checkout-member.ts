import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { newId } from '../shared/ids';
import { drawFrom } from '../shared/stored-value/draw';
import { rollupsAndReceipt, type RawContext } from './raw-checkout';

/**
 * The floor for checkout_member_tps: the rows a counter sale to a member with
 * a coupon and a stored-value tender writes, as hand-written SQL on one pooled
 * connection per client, with no HTTP, no validation and no pricing. Besides
 * what raw-checkout.ts writes for a cash sale (order in the device's open
 * shift, lines, stock, the sale's journal entry, rollups and receipt number)
 * it uses the coupon by compare-and-set with its event, draws the stored
 * value under the member's balance lock (the movement, the balance and the
 * spend's journal entry) and posts the earned points under the member's lock,
 * as the service does.
 */
export interface RawMemberContext extends RawContext {
  /** The sale as the engine priced it for a member with one coupon; every bench sale is the same cart. */
  priced: {
    subtotalListFen: number;
    discountFen: number;
    totalFen: number;
    couponFen: number;
    lines: { skuId: string; unitListFen: number; listFen: number; netFen: number }[];
  };
  /** What each sale pays from stored value; cash pays the rest. */
  storedValueFen: number;
  pointsEarned: number;
  /** The liability the earned points are booked at (points ÷ points per fen, rounded down). */
  pointsEarnedValueFen: number;
}

/** Whose sale this is and the unused coupon it uses. */
export interface RawMemberSale {
  memberId: string;
  couponId: string;
}

export async function rawMemberCheckout(client: pg.PoolClient, ctx: RawMemberContext, day: string, sale: RawMemberSale): Promise<void> {
  const orderId = newId('order');
  const p = ctx.priced;
  const cashFen = p.totalFen - ctx.storedValueFen;
  const cost = ctx.skus.reduce((s, k) => s + k.costFen, 0);
  await client.query('begin');
  try {
    await client.query(
      `insert into orders (id, merchant_id, store_id, staff_id, member_id, channel, status, total_fen, business_date, paid_at, client_order_id, request_hash, receipt_no, subtotal_list_fen, discount_fen, points_earned, cash_received_fen, change_fen, device_id)
       values ($1, $2, $3, $4, $5, 'counter', 'paid', $6, $7, now(), $1, 'raw', $8, $9, $10, $11, $12, 0, $13)`,
      [orderId, ctx.merchantId, ctx.storeId, ctx.staffId, sale.memberId, p.totalFen, day, `RAW-${randomBytes(6).toString('hex')}`, p.subtotalListFen, p.discountFen, ctx.pointsEarned, cashFen, ctx.deviceId],
    );
    await client.query(
      `update orders set shift_id = (select id from shifts where store_id = $2 and device_id = $3 and status = 'open') where id = $1`,
      [orderId, ctx.storeId, ctx.deviceId],
    );
    for (const [i, l] of p.lines.entries()) {
      const k = ctx.skus.find((s) => s.id === l.skuId)!;
      await client.query(
        `insert into order_lines (id, merchant_id, order_id, line_index, sku_id, product_name, category_id, qty, unit_list_fen, list_fen, net_fen, cost_fen) values ($1, $2, $3, $4, $5, 'raw', $6, 1, $7, $8, $9, $10)`,
        [newId('order'), ctx.merchantId, orderId, i, k.id, k.categoryId, l.unitListFen, l.listFen, l.netFen, k.costFen],
      );
    }
    await client.query(
      `insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date, line_no) values ($1, $2, $3, $4, 'stored_value', $5, $6, 0), ($7, $2, $3, $4, 'cash', $8, $6, 1)`,
      [newId('tender'), ctx.merchantId, orderId, ctx.storeId, ctx.storedValueFen, day, newId('tender'), cashFen],
    );

    // The coupon: compare-and-set from available to used, so of two sales racing for it one commits; then its event.
    const used = await client.query(
      `update coupons set status = 'used', used_order_id = $1, used_at = now() where id = $2 and merchant_id = $3 and member_id = $4 and status = 'available' and valid_until > now()`,
      [orderId, sale.couponId, ctx.merchantId, sale.memberId],
    );
    if (used.rowCount !== 1) throw new Error(`raw member checkout: coupon ${sale.couponId} was not available`);
    await client.query(`insert into coupon_events (id, merchant_id, coupon_id, kind, order_id, discount_fen) values ($1, $2, $3, 'used', $4, $5)`, [newId('couponEvent'), ctx.merchantId, sale.couponId, orderId, p.couponFen]);

    // Stored value: the split between principal and bonus is decided on the balance read under the member's lock.
    const account = await client.query<{ principal_fen: string; bonus_fen: string; seq: string }>(`select principal_fen, bonus_fen, seq from stored_value_accounts where member_id = $1 for update`, [sale.memberId]);
    const locked = account.rows[0]!;
    const balance = { principalFen: Number(locked.principal_fen), bonusFen: Number(locked.bonus_fen) };
    const draw = drawFrom(balance, ctx.storedValueFen);
    if (!draw) throw new Error(`raw member checkout: member ${sale.memberId} has too little stored value`);
    const seq = Number(locked.seq) + 1;
    await client.query(`update stored_value_accounts set principal_fen = principal_fen - $2, bonus_fen = bonus_fen - $3, seq = $4, updated_at = now() where member_id = $1`, [sale.memberId, draw.principalFen, draw.bonusFen, seq]);
    await client.query(
      `insert into stored_value_ledger (id, merchant_id, member_id, seq, kind, principal_delta_fen, bonus_delta_fen, principal_after_fen, bonus_after_fen, store_id, order_id, ref_id, idempotency_key, created_by)
       values ($1, $2, $3, $4, 'spend', $5, $6, $7, $8, $9, $10, $10, $11, $12)`,
      [newId('storedValueMovement'), ctx.merchantId, sale.memberId, seq, -draw.principalFen, -draw.bonusFen, balance.principalFen - draw.principalFen, balance.bonusFen - draw.bonusFen, ctx.storeId, orderId, `spend:${orderId}`, ctx.staffId],
    );
    const spendLines = [
      ['stored_value_liability', draw.principalFen, 0],
      ['sales_discounts', draw.bonusFen, 0],
      ['clearing_stored_value', 0, ctx.storedValueFen],
    ].filter(([, d, c]) => d !== 0 || c !== 0);
    await journal(client, ctx, day, `stored_value_spend:${orderId}`, '储值消费', spendLines as [string, number, number][]);

    // Points: the member's row is the lock every posting for them takes, then the ledger row with the balance after it.
    await client.query(`select id from members where id = $1 and merchant_id = $2 for update`, [sale.memberId, ctx.merchantId]);
    await client.query(
      `insert into points_ledger (id, merchant_id, member_id, delta, balance_after, reason, ref_id, idempotency_key, multiplier_bp)
       values ($1, $2, $3, $4, coalesce((select balance_after from points_ledger where member_id = $3 order by seq desc limit 1), 0) + $4, 'earn', $5, $6, 10000)`,
      [newId('points'), ctx.merchantId, sale.memberId, ctx.pointsEarned, orderId, `earn:${orderId}`],
    );

    // The sale's entry: both tenders' money, the discounts (member prices and the coupon), revenue at list, cost of goods, and the points earned as a liability.
    await journal(client, ctx, day, `sale:${orderId}`, '销售', [
      ['clearing_stored_value', ctx.storedValueFen, 0],
      ['cash', cashFen, 0],
      ['sales_discounts', p.discountFen, 0],
      ['sales_revenue', 0, p.subtotalListFen],
      ['cost_of_goods', cost, 0],
      ['inventory', 0, cost],
      ['sales_discounts', ctx.pointsEarnedValueFen, 0],
      ['points_liability', 0, ctx.pointsEarnedValueFen],
    ].filter(([, d, c]) => d !== 0 || c !== 0) as [string, number, number][]);

    for (const k of [...ctx.skus].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const r = await client.query(`update stock_levels set on_hand = on_hand - 1 where store_id = $1 and sku_id = $2 and on_hand - reserved >= 1`, [ctx.storeId, k.id]);
      if (r.rowCount !== 1) throw new Error('raw member checkout ran out of stock');
      await client.query(`insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, ref_id, idempotency_key) values ($1, $2, $3, $4, 'sale', -1, $5, $6)`, [newId('movement'), ctx.merchantId, ctx.storeId, k.id, orderId, `raw:${orderId}:${k.id}`]);
    }
    const numbered = rollupsAndReceipt(orderId, ctx.storeId, day);
    await client.query({ name: 'raw-rollups-receipt', text: numbered.sql, values: [...numbered.parameters] });
    await client.query('commit');
  } catch (e) {
    await client.query('rollback');
    throw e;
  }
}

/** A balanced entry and its lines, in two statements as raw-checkout.ts writes the sale's. */
async function journal(client: pg.PoolClient, ctx: RawMemberContext, day: string, eventKey: string, memo: string, lines: [string, number, number][]): Promise<void> {
  const total = lines.reduce((s, [, d]) => s + d, 0);
  if (total !== lines.reduce((s, [, , c]) => s + c, 0)) throw new Error(`raw member checkout: ${eventKey} does not balance`);
  const entryId = newId('journal');
  await client.query(
    `insert into journal_entries (id, merchant_id, store_id, event_key, content_hash, memo, business_date, line_count, total_fen) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [entryId, ctx.merchantId, ctx.storeId, eventKey, randomBytes(32).toString('hex'), memo, day, lines.length, total],
  );
  await client.query(
    `insert into journal_lines (entry_id, line_no, merchant_id, account, debit_fen, credit_fen)
     select $1, x.n, $2, x.account, x.debit, x.credit from unnest($3::text[], $4::bigint[], $5::bigint[]) with ordinality as x (account, debit, credit, n)`,
    [entryId, ctx.merchantId, lines.map((l) => l[0]), lines.map((l) => l[1]), lines.map((l) => l[2])],
  );
}
