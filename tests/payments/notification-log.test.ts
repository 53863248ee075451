import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import { notify_body_bytes_max, payment_notifications_retention_days, rejected_notify_body_bytes_kept } from '../../api/_payments/limits';

const CRON = { authorization: 'Bearer test-cron-secret' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`notification log, retention and the owner's export on ${target.name}`, () => {
    let api: TestApi;
    let wechat: FakeChannel;
    let assistant: string;
    let owner: string;
    const clock = Date.parse('2026-11-23T02:00:00Z');

    beforeAll(async () => {
      const fakes = fakeChannels();
      wechat = fakes.wechat;
      wechat.clock = fakes.alipay.clock = () => new Date(clock);
      api = await startTestApi(target, { payments: fakes.registry });
      api.setNow(new Date(clock));
      [assistant, owner] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_owner')]);
    });
    afterAll(async () => api?.stop());

    const notify = (raw: string, headers: Record<string, string>) => api.call('POST', '/api/pay/wechat/notify', { rawBody: raw, headers });
    const lastLog = () => api.deps.db.selectFrom('payment_notifications').select(['id', 'outcome', 'raw_body', 'body_sha256']).orderBy('id', 'desc').executeTakeFirstOrThrow();

    async function paidByNotification() {
      const sku = await findSku(api, assistant, 'wlj');
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId: api.seed.storeIds.DEMO01!, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true } });
      const order = checkoutResponse.parse(res.body).order;
      const p = paymentResponse.parse((await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'wechat' } })).body).payment;
      wechat.pay(p.id);
      return { paymentId: p.id, notification: wechat.notification(p.id) };
    }

    it('logs a refused notification as a hash and its first bytes, and a verified one whole', async () => {
      const { notification } = await paidByNotification();
      // A forged signature over a body padded well past what is kept of a refused one.
      const forged = wechat.notification('pay_01KAAAAAAAAAAAAAAAAAAAAAAA', { forge: true, tamper: (b) => (b.padding = '用'.repeat(2000)) });
      expect((await notify(forged.raw, forged.headers)).status).toBe(500);
      let row = await lastLog();
      expect(row.outcome).toBe('bad_signature');
      expect(row.body_sha256).toBe(sha256(forged.raw));
      expect(Buffer.byteLength(row.raw_body!)).toBeLessThanOrEqual(rejected_notify_body_bytes_kept + 2);
      expect(forged.raw.startsWith(row.raw_body!.replace(/\uFFFD$/, ''))).toBe(true);

      const tooLarge = 'x'.repeat(notify_body_bytes_max + 1);
      expect((await notify(tooLarge, notification.headers)).status).toBe(500);
      row = await lastLog();
      expect([row.outcome, row.raw_body, row.body_sha256]).toEqual(['too_large', 'x'.repeat(rejected_notify_body_bytes_kept), sha256(tooLarge)]);

      expect((await notify('{"not":"signed"', {})).status).toBe(500);
      row = await lastLog();
      expect(row.body_sha256).toBe(sha256('{"not":"signed"'));

      expect((await notify(notification.raw, notification.headers)).status).toBe(204);
      row = await lastLog();
      expect([row.outcome, row.raw_body, row.body_sha256]).toEqual(['applied', notification.raw, null]);
    });

    it('drops raw bodies past the retention days from the daily job and keeps the rows and the recent bodies', async () => {
      const recent = await lastLog();
      const old = new Date(clock - (payment_notifications_retention_days + 1) * 86_400_000);
      await sql`update payment_notifications set received_at = ${old} where id < ${recent.id}`.execute(api.deps.db);
      const before = await api.deps.db.selectFrom('payment_notifications').select('id').execute();
      const cron = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(cron.status).toBe(200);
      expect(cron.body.notificationBodiesCleared).toBe(before.length - 1);
      const rows = await api.deps.db.selectFrom('payment_notifications').select(['id', 'raw_body', 'body_sha256', 'outcome']).orderBy('id').execute();
      expect(rows.length).toBe(before.length);
      expect(rows.filter((r) => r.raw_body !== null).map((r) => r.id)).toEqual([recent.id]);
      expect(rows.find((r) => r.outcome === 'too_large')!.body_sha256).not.toBeNull();
    });

    it("leaves notification bodies and buyer ids out of the owner's full export", async () => {
      await sql`update payments set payer_id = 'o_buyer_openid_secret' where merchant_id = ${api.seed.merchantId}`.execute(api.deps.db);
      await sql`update members set wechat_openid = 'o_member_openid_secret' where id = (select id from members where merchant_id = ${api.seed.merchantId} limit 1)`.execute(api.deps.db);
      const res = await api.app.request('/api/exports/merchant', { headers: { authorization: `Bearer ${owner}` } });
      expect(res.status).toBe(200);
      const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
      expect(Object.keys(files)).not.toContain('payment_notifications.csv');
      const text = (name: string) => new TextDecoder().decode(files[name]!);
      const payments = parse(text('payments.csv'), { columns: true, bom: true }) as Record<string, string>[];
      expect(payments.length).toBeGreaterThan(0);
      expect(Object.keys(payments[0]!)).not.toContain('payer_id');
      expect(Object.keys(payments[0]!)).toContain('金额（元）');
      expect(Object.keys((parse(text('members.csv'), { columns: true, bom: true }) as Record<string, string>[])[0]!)).not.toEqual(expect.arrayContaining(['wechat_openid', '微信用户标识']));
      for (const name of Object.keys(files)) {
        expect(text(name), name).not.toContain('o_buyer_openid_secret');
        expect(text(name), name).not.toContain('o_member_openid_secret');
      }
    });
  });
}
