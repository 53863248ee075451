import { createDecipheriv, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { newId } from '../shared/ids';

/**
 * The floor for notify_applied_per_s: what applying one WeChat Pay
 * notification must do at the least — verify the RSA signature over the raw
 * body with an already parsed key, decrypt the resource with the GCM tag
 * checked, then the same rows the API writes (payment and its event, order,
 * tender, held stock into a sale, the movement, a balanced journal entry at
 * the lines' real cost, the points, the report rollups, the receipt number
 * on the order and the notification log) as hand-written SQL, one statement
 * per row, with no HTTP, no validation and no framework.
 */
export interface RawNotifyContext {
  merchantId: string;
  platformPublicKey: KeyObject;
  apiV3Key: string;
}

export interface Notification {
  body: string;
  headers: Record<string, string>;
}

function verifyAndDecrypt(ctx: RawNotifyContext, n: Notification): { out_trade_no: string; transaction_id: string; amount: { total: number } } {
  const h = n.headers;
  const message = `${h['Wechatpay-Timestamp']}\n${h['Wechatpay-Nonce']}\n${n.body}\n`;
  if (!createVerify('RSA-SHA256').update(message).verify(ctx.platformPublicKey, h['Wechatpay-Signature']!, 'base64')) throw new Error('bad signature');
  const r = (JSON.parse(n.body) as { resource: { ciphertext: string; nonce: string; associated_data: string } }).resource;
  const data = Buffer.from(r.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(ctx.apiV3Key, 'utf8'), Buffer.from(r.nonce, 'utf8'));
  decipher.setAAD(Buffer.from(r.associated_data, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  return JSON.parse(plain);
}

export async function rawApply(client: pg.PoolClient, ctx: RawNotifyContext, n: Notification): Promise<void> {
  const t = verifyAndDecrypt(ctx, n);
  await client.query('begin');
  try {
    const p = await client.query(
      `update payments set status = 'succeeded', platform_trade_no = $2, succeeded_at = now(), settled_by = 'notify' where id = $1 and status = 'pending' and amount_fen = $3 returning order_id, amount_fen, store_id`,
      [t.out_trade_no, t.transaction_id, t.amount.total],
    );
    const pay = p.rows[0];
    if (!pay) throw new Error(`raw notify: payment ${t.out_trade_no} not pending`);
    await client.query(`insert into payment_events (merchant_id, payment_id, event, source, detail) values ($1, $2, 'succeeded', 'notify', $3)`, [ctx.merchantId, t.out_trade_no, JSON.stringify({ platformTradeNo: t.transaction_id, amountFen: t.amount.total })]);
    const o = await client.query(
      `update orders set status = 'paid', paid_at = now() where id = $1 and status = 'open' returning business_date::text as day, subtotal_list_fen, member_id, points_earned, coalesce(staff_id, '') as staff_id, channel`,
      [pay.order_id],
    );
    const order = o.rows[0];
    const lines = await client.query(`select sku_id, category_id, qty, net_fen, cost_fen from order_lines where order_id = $1`, [pay.order_id]);
    await client.query(`insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date, reference, payment_id) values ($1, $2, $3, $4, 'wechat', $5, $6, $7, $8)`, [newId('order'), ctx.merchantId, pay.order_id, pay.store_id, pay.amount_fen, order.day, t.transaction_id, t.out_trade_no]);
    const held = await client.query(`update stock_reservations set status = 'consumed' where order_id = $1 and status = 'active' returning sku_id, qty`, [pay.order_id]);
    const cost = lines.rows.reduce((sum, l) => sum + Number(l.cost_fen), 0);
    for (const h of held.rows) {
      await client.query(`update stock_levels set reserved = reserved - $3, on_hand = on_hand - $3 where store_id = $1 and sku_id = $2`, [pay.store_id, h.sku_id, h.qty]);
      await client.query(`insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, reserved_delta, ref_id, idempotency_key) values ($1, $2, $3, $4, 'sale', $5, $6, $7, $8)`, [newId('movement'), ctx.merchantId, pay.store_id, h.sku_id, -h.qty, -h.qty, pay.order_id, `consume:${pay.order_id}:${h.sku_id}`]);
    }
    const entryId = newId('journal');
    const discount = Number(order.subtotal_list_fen) - Number(pay.amount_fen);
    const entryLines: [string, number, number][] = [
      ['clearing_wechat', Number(pay.amount_fen), 0],
      ['sales_discounts', discount, 0],
      ['sales_revenue', 0, Number(order.subtotal_list_fen)],
      ['cost_of_goods', cost, 0],
      ['inventory', 0, cost],
    ];
    const booked = entryLines.filter(([, d, c]) => d > 0 || c > 0);
    await client.query(`insert into journal_entries (id, merchant_id, store_id, event_key, content_hash, memo, business_date, line_count, total_fen) values ($1, $2, $3, $4, $5, '销售', $6, $8, $7)`, [entryId, ctx.merchantId, pay.store_id, `sale:${pay.order_id}`, randomBytes(32).toString('hex'), order.day, Number(order.subtotal_list_fen) + cost, booked.length]);
    for (const [i, [account, debit, credit]] of booked.entries()) {
      await client.query(`insert into journal_lines (entry_id, line_no, merchant_id, account, debit_fen, credit_fen) values ($1, $2, $3, $4, $5, $6)`, [entryId, i + 1, ctx.merchantId, account, debit, credit]);
    }
    if (order.member_id && order.points_earned > 0) {
      await client.query(
        `insert into points_ledger (id, merchant_id, member_id, delta, balance_after, reason, ref_id, idempotency_key)
         values ($6, $1, $2, $3, $3 + coalesce((select balance_after from points_ledger where member_id = $2 order by seq desc limit 1), 0), 'earn', $4, $5)`,
        [ctx.merchantId, order.member_id, order.points_earned, pay.order_id, `earn:${pay.order_id}`, newId('points')],
      );
    }
    const qty = lines.rows.reduce((sum, l) => sum + Number(l.qty), 0);
    const goods = lines.rows.reduce((sum, l) => sum + Number(l.net_fen), 0);
    await client.query(
      `insert into report_order_daily (merchant_id, store_id, business_date, staff_id, channel, order_count, order_fen, item_qty, goods_fen, cost_fen) values ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9)
       on conflict (store_id, business_date, staff_id, channel) do update set order_count = report_order_daily.order_count + 1, order_fen = report_order_daily.order_fen + excluded.order_fen,
         item_qty = report_order_daily.item_qty + excluded.item_qty, goods_fen = report_order_daily.goods_fen + excluded.goods_fen, cost_fen = report_order_daily.cost_fen + excluded.cost_fen`,
      [ctx.merchantId, pay.store_id, order.day, order.staff_id, order.channel, pay.amount_fen, qty, goods, cost],
    );
    for (const l of lines.rows) {
      const sku = [ctx.merchantId, pay.store_id, order.day, l.sku_id, l.category_id, l.qty, l.net_fen, l.cost_fen];
      const set = (t: string) => `sold_qty = ${t}.sold_qty + excluded.sold_qty, sold_fen = ${t}.sold_fen + excluded.sold_fen, sold_cost_fen = ${t}.sold_cost_fen + excluded.sold_cost_fen`;
      await client.query(`insert into report_sku_daily (merchant_id, store_id, business_date, sku_id, category_id, sold_qty, sold_fen, sold_cost_fen) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (store_id, business_date, sku_id, category_id) do update set ${set('report_sku_daily')}`, sku);
      await client.query(`insert into report_sku_monthly (merchant_id, store_id, month, sku_id, category_id, sold_qty, sold_fen, sold_cost_fen) values ($1, $2, date_trunc('month', $3::date)::date, $4, $5, $6, $7, $8) on conflict (store_id, month, sku_id, category_id) do update set ${set('report_sku_monthly')}`, sku);
      await client.query(`insert into report_sku_daily_all (merchant_id, business_date, sku_id, category_id, sold_qty, sold_fen, sold_cost_fen) values ($1, $2, $3, $4, $5, $6, $7) on conflict (merchant_id, business_date, sku_id, category_id) do update set ${set('report_sku_daily_all')}`, [ctx.merchantId, ...sku.slice(2)]);
      await client.query(`insert into report_sku_monthly_all (merchant_id, month, sku_id, category_id, sold_qty, sold_fen, sold_cost_fen) values ($1, date_trunc('month', $2::date)::date, $3, $4, $5, $6, $7) on conflict (merchant_id, month, sku_id, category_id) do update set ${set('report_sku_monthly_all')}`, [ctx.merchantId, ...sku.slice(2)]);
    }
    await client.query(
      `insert into report_tender_daily (merchant_id, store_id, business_date, method, taken_count, taken_fen) values ($1, $2, $3, 'wechat', 1, $4)
       on conflict (store_id, business_date, method) do update set taken_count = report_tender_daily.taken_count + 1, taken_fen = report_tender_daily.taken_fen + excluded.taken_fen`,
      [ctx.merchantId, pay.store_id, order.day, pay.amount_fen],
    );
    const receipt = await client.query(
      `insert into receipt_counters (store_id, business_date, last_no) values ($1, $2, 1) on conflict (store_id, business_date) do update set last_no = receipt_counters.last_no + 1 returning last_no`,
      [pay.store_id, order.day],
    );
    await client.query(`update orders set receipt_no = $2 where id = $1`, [pay.order_id, `S-${order.day.replaceAll('-', '')}-${String(receipt.rows[0].last_no).padStart(4, '0')}`]);
    await client.query(`insert into payment_notifications (channel, kind, outcome, merchant_id, payment_id, out_trade_no, amount_fen, headers, raw_body) values ('wechat', 'payment', 'applied', $1, $2, $2, $3, '{}', $4)`, [ctx.merchantId, t.out_trade_no, t.amount.total, n.body]);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback');
    throw e;
  }
}

/** Applies every notification with `clients` concurrent loops; returns notifications applied per second. */
export async function rawNotifyLoad(url: string, ctx: RawNotifyContext, notifications: Notification[], clients: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = await pool.connect();
        try {
          while (next < notifications.length) await rawApply(client, ctx, notifications[next++]!);
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return notifications.length / ((performance.now() - started) / 1000);
}

export function publicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}
