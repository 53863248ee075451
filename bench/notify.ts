import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgres } from '../tools/testenv/postgres';
import { ensureSandboxKeys } from '../tools/sandbox/keys';
import { beijingTime, notificationBody, platformSignatureHeaders } from '../tools/sandbox/wechat-pay-signing';
import { newId } from '../shared/ids';
import { startChild } from './child';
import { figure, type Figure } from './figure';
import { publicKey, rawNotifyLoad, type Notification } from './raw-notify';

export const notify_senders = 4;
/** Distinct notifications each side applies; enough for several seconds of work on this machine. */
export const notify_count = Number(process.env.BENCH_NOTIFY_COUNT ?? 1500);
const stock_for_bench = 1_000_000;

interface StackInfo {
  url: string;
  token: string;
  storeId: string;
  dataDir: string;
}

/**
 * notify_applied_per_s: distinct WeChat Pay notifications applied per second
 * through the HTTP API at 4 concurrent senders (signature, decryption, the
 * compare-and-set, the held stock into a sale, the journal, the points),
 * against rawNotifyLoad's floor on the same Postgres server.
 */
export async function notifyApplied(): Promise<Figure> {
  const server = await startPostgres();
  try {
    const stack = await startChild<StackInfo>('./servers/stack.ts', { BENCH_DATABASE_URL: server.url });
    try {
      const keys = await ensureSandboxKeys(path.join(stack.info.dataDir, 'sandbox'));
      const client = new pg.Pool({ connectionString: server.url, max: notify_senders });
      const ctx = await prepare(client, stack.info);
      const apiSet = await openPayments(client, stack.info, ctx, notify_count);
      const rawSet = await openPayments(client, stack.info, ctx, notify_count);
      await client.end();

      const signer = { privateKey: createPrivateKey(keys.wechat.platformPrivateKey), serial: keys.wechat.platformPublicKeyId };
      const sign = (p: { id: string; amountFen: number }): Notification => {
        const now = Date.now();
        const resource = {
          appid: keys.wechat.appId,
          mchid: keys.wechat.mchId,
          out_trade_no: p.id,
          transaction_id: `4200${String(Math.floor(Math.random() * 1e15)).padStart(24, '0')}`,
          trade_type: 'NATIVE',
          trade_state: 'SUCCESS',
          trade_state_desc: '支付成功',
          bank_type: 'OTHERS',
          success_time: beijingTime(now),
          payer: { openid: 'o_bench_payer' },
          amount: { total: p.amountFen, payer_total: p.amountFen, currency: 'CNY', payer_currency: 'CNY' },
        };
        const body = notificationBody('TRANSACTION.SUCCESS', resource, keys.wechat.apiV3Key, now);
        return { body, headers: { 'Content-Type': 'application/json', ...platformSignatureHeaders(body, signer, now) } };
      };

      const apiNotifications = apiSet.map(sign);
      let next = 0;
      const started = performance.now();
      const result = await autocannon({
        url: `${stack.info.url}/api/pay/wechat/notify`,
        method: 'POST',
        connections: notify_senders,
        amount: apiNotifications.length,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const n = apiNotifications[next++ % apiNotifications.length]!;
              return { ...req, body: n.body, headers: n.headers };
            },
          },
        ],
      });
      const apiSeconds = (performance.now() - started) / 1000;
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`notify bench: ${result.non2xx} non-2xx, ${result.errors} errors`);
      const check = new pg.Client({ connectionString: server.url });
      await check.connect();
      const applied = await check.query(`select count(*)::int as n from payment_notifications where outcome = 'applied' and out_trade_no = any($1)`, [apiSet.map((p) => p.id)]);
      await check.end();
      const appliedCount = applied.rows[0].n as number;
      if (appliedCount !== apiSet.length) throw new Error(`notify bench: ${appliedCount} of ${apiSet.length} notifications applied`);

      const rawNotifications = rawSet.map(sign);
      const rawPerSecond = await rawNotifyLoad(server.url, { merchantId: ctx.merchantId, platformPublicKey: publicKey(keys.wechat.platformPublicKey), apiV3Key: keys.wechat.apiV3Key }, rawNotifications, notify_senders);
      return figure('notify_applied_per_s', 'per_s', appliedCount / apiSeconds, rawPerSecond, { senders: notify_senders, notifications: appliedCount, target_ratio: 0.5, db: 'postgres' });
    } finally {
      stack.stop();
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500));
    await server.stop();
  }
}

interface Ctx {
  merchantId: string;
  memberIds: string[];
  skus: { id: string; memberPriceFen: number }[];
}

/** Stock enough for the run, through the ledger like any receipt. */
async function prepare(client: pg.Pool, info: StackInfo): Promise<Ctx> {
  const merchant = await client.query(`select merchant_id from stores where id = $1`, [info.storeId]);
  const merchantId = merchant.rows[0].merchant_id as string;
  // Shoppers of a real shop are many: the notifications rotate over the demo members.
  const members = await client.query(`select id from members where merchant_id = $1 order by phone`, [merchantId]);
  const skus = await client.query(`select s.id, s.member_price_fen from skus s order by s.barcode limit 20`);
  for (const s of skus.rows) {
    await client.query(`update stock_levels set on_hand = on_hand + $1 where store_id = $2 and sku_id = $3`, [stock_for_bench, info.storeId, s.id]);
    await client.query(`insert into stock_movements (id, merchant_id, store_id, sku_id, kind, on_hand_delta, idempotency_key) values ($1, $2, $3, $4, 'receipt', $5, $6)`, [newId('movement'), merchantId, info.storeId, s.id, stock_for_bench, `bench:${s.id}`]);
  }
  return { merchantId, memberIds: members.rows.map((r) => r.id as string), skus: skus.rows.map((r) => ({ id: r.id, memberPriceFen: Number(r.member_price_fen) })) };
}

/**
 * Open orders billed for a member through the API (priced, stock held,
 * points to come), each with a pending WeChat payment as the counter's QR
 * would have made it.
 */
async function openPayments(client: pg.Pool, info: StackInfo, ctx: Ctx, count: number): Promise<{ id: string; amountFen: number }[]> {
  const out: { id: string; amountFen: number }[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: notify_senders }, async () => {
      while (i < count) {
        const n = i++;
        const sku = ctx.skus[n % ctx.skus.length]!;
        const memberId = ctx.memberIds[n % ctx.memberIds.length]!;
        const res = await fetch(`${info.url}/api/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ clientOrderId: newId('order'), storeId: info.storeId, memberId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.memberPriceFen, awaitPayment: true }),
        });
        const body = (await res.json()) as { order?: { id: string; totalFen: number }; error?: { message: string } };
        if (!body.order) throw new Error(`notify bench: open order refused: ${body.error?.message}`);
        const id = newId('payment');
        await client.query(
          `insert into payments (id, merchant_id, store_id, order_id, channel, mode, out_trade_no, amount_fen, status, request_hash) values ($1, $2, $3, $4, 'wechat', 'qr', $1, $5, 'pending', 'bench')`,
          [id, ctx.merchantId, info.storeId, body.order.id, body.order.totalFen],
        );
        out.push({ id, amountFen: body.order.totalFen });
      }
    }),
  );
  return out;
}
