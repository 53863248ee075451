import { createDecipheriv, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { newId } from '../shared/ids';

/**
 * The floor for notify_applied_per_s: what applying one WeChat Pay
 * notification must do at the least — verify the RSA signature over the raw
 * body with an already parsed key, decrypt the resource with the GCM tag
 * checked, then the same rows the API writes (payment, order, tender, held
 * stock into a sale, the movement, a balanced journal entry, the points, the
 * receipt number and the notification log) as hand-written SQL, one
 * statement per row, with no HTTP, no validation and no framework.
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
    const o = await client.query(`update orders set status = 'paid', paid_at = now() where id = $1 and status = 'open' returning business_date::text as day, subtotal_list_fen, member_id, points_earned`, [pay.order_id]);
    const order = o.rows[0];
    await client.query(`insert into order_tenders (id, merchant_id, order_id, store_id, method, amount_fen, business_date, reference, payment_id) values ($1, $2, $3, $4, 'wechat', $5, $6, $7, $8)`, [newId('order'), ctx.merchantId, pay.order_id, pay.store_id, pay.amount_fen, order.day, t.transaction_id, t.out_trade_no]);
    const held = await client.query(`update stock_reservations set status = 'consumed' where order_id = $1 and status = 'active' returning sku_id, qty`, [pay.order_id]);
    let cost = 0;
    for (const h of held.rows) {
      await client.query(`update stock_levels set reserved = reserved - $3, on_hand = on_hand - $3 where store_id = $1 and sku_id = $2`, [pay.store_id, h.sku_id, h.qty]);
      await client.query(`insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, reserved_delta, ref_id, idempotency_key) values ($1, $2, $3, $4, 'sale', $5, $6, $7, $8)`, [newId('movement'), ctx.merchantId, pay.store_id, h.sku_id, -h.qty, -h.qty, pay.order_id, `consume:${pay.order_id}:${h.sku_id}`]);
      cost += 100 * h.qty;
    }
    const entryId = newId('journal');
    const discount = Number(order.subtotal_list_fen) - Number(pay.amount_fen);
    await client.query(`insert into journal_entries (id, merchant_id, store_id, event_key, content_hash, memo, business_date, line_count, total_fen) values ($1, $2, $3, $4, $5, '销售', $6, 5, $7)`, [entryId, ctx.merchantId, pay.store_id, `sale:${pay.order_id}`, randomBytes(32).toString('hex'), order.day, Number(order.subtotal_list_fen) + cost]);
    const lines: [string, number, number][] = [
      ['clearing_wechat', Number(pay.amount_fen), 0],
      ['sales_discounts', discount, 0],
      ['sales_revenue', 0, Number(order.subtotal_list_fen)],
      ['cost_of_goods', cost, 0],
      ['inventory', 0, cost],
    ];
    for (const [i, [account, debit, credit]] of lines.entries()) {
      await client.query(`insert into journal_lines (entry_id, line_no, merchant_id, account, debit_fen, credit_fen) values ($1, $2, $3, $4, $5, $6)`, [entryId, i + 1, ctx.merchantId, account, debit, credit]);
    }
    if (order.member_id && order.points_earned > 0) {
      await client.query(
        `insert into points_ledger (id, merchant_id, member_id, delta, balance_after, reason, ref_id, idempotency_key)
         values ($6, $1, $2, $3, $3 + coalesce((select balance_after from points_ledger where member_id = $2 order by seq desc limit 1), 0), 'earn', $4, $5)`,
        [ctx.merchantId, order.member_id, order.points_earned, pay.order_id, `earn:${pay.order_id}`, newId('points')],
      );
    }
    await client.query(
      `insert into receipt_counters (store_id, business_date, last_no) values ($1, $2, 1) on conflict (store_id, business_date) do update set last_no = receipt_counters.last_no + 1`,
      [pay.store_id, order.day],
    );
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
