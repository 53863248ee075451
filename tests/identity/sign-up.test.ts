import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { staffSession } from '../../shared/api/identity';
import { checklistResponse } from '../../shared/api/onboarding';
import { standardAccounts } from '../../api/_ledger/accounts';
import { ean13 } from '../../shared/barcode';
import { newId } from '../../shared/ids';

/** Row counts of every table a sign-up writes, to prove a refused or failed one wrote nothing. */
async function counts(api: TestApi) {
  const tables = ['merchants', 'stores', 'staff', 'staff_identities', 'merchant_sign_ups', 'ledger_accounts', 'audit_log'] as const;
  const out = {} as Record<(typeof tables)[number], number>;
  for (const t of tables) out[t] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(api.deps.db)).rows[0]!.n;
  return out;
}

const store = { name: '小林服装一店', address: '杭州市西湖区文三路 100 号', phone: '13912345678', businessHours: '09:00-21:00' };
let n = 0;
const signUpId = () => `signup-test-${Date.now()}-${n++}-abcdef`;
const body = (id: string, shopName = '小林服装') => ({ signUpId: id, shopName, ownerName: '林老板', store });

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`opening a shop from the phone on ${target.name}`, () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
    });
    afterAll(async () => api?.stop());

    /** A new WeChat user opens the demo store's mini-program: a shopper session, nobody's staff. */
    async function shopperToken(openId: string): Promise<string> {
      const code = await api.loginCode('wechat', openId);
      const res = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
      expect(res.status).toBe(200);
      return res.body.token as string;
    }

    it('creates merchant, store, owner and chart in one go; a double tap makes one shop; the owner signs in next time as staff', async () => {
      const token = await shopperToken('o_new_owner_1');
      const id = signUpId();
      const before = await counts(api);
      const [first, second] = await Promise.all([api.call('POST', '/api/merchants', { token, body: body(id) }), api.call('POST', '/api/merchants', { token, body: body(id) })]);
      expect([first.status, second.status]).toEqual([201, 201]);
      const session = staffSession.parse(first.body);
      expect(staffSession.parse(second.body).merchant.id).toBe(session.merchant.id);
      expect(session).toMatchObject({ staff: { name: '林老板', role: 'owner' }, merchant: { name: '小林服装' } });
      expect(session.stores).toHaveLength(1);
      const after = await counts(api);
      expect(after.merchants - before.merchants).toBe(1);
      expect(after.stores - before.stores).toBe(1);
      expect(after.staff - before.staff).toBe(1);
      expect(after.ledger_accounts - before.ledger_accounts).toBe(standardAccounts.length);
      const row = await api.deps.db.selectFrom('stores').selectAll().where('id', '=', session.stores[0]!.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ phone: store.phone, business_hours: store.businessHours, active: true });
      // No payment account: the new shop must not take platform payments through anyone's keys until its setup is done.
      expect(await api.deps.db.selectFrom('merchant_payment_accounts').select('channel').where('merchant_id', '=', session.merchant.id).execute()).toEqual([]);
      const audit = await api.deps.db.selectFrom('audit_log').select('action').where('merchant_id', '=', session.merchant.id).execute();
      expect(audit.map((a) => a.action)).toEqual(['merchant.signed_up']);

      const login = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_new_owner_1') } });
      expect(login.status).toBe(200);
      expect(staffSession.parse(login.body)).toMatchObject({ staff: { id: session.staff.id, role: 'owner' }, merchant: { id: session.merchant.id } });
    });

    it('refuses the same id with different content (409), and anyone already staff (409 naming the shop); neither writes', async () => {
      const token = await shopperToken('o_new_owner_2');
      const id = signUpId();
      expect((await api.call('POST', '/api/merchants', { token, body: body(id) })).status).toBe(201);
      const before = await counts(api);
      const changed = await api.call('POST', '/api/merchants', { token, body: body(id, '另一家店') });
      expect(changed.status).toBe(409);
      expect(changed.body.error.message).toContain('开店请求');
      const again = await api.call('POST', '/api/merchants', { token, body: body(signUpId(), '第二家店') });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain('小林服装');
      // A demo assistant who also shops: staff somewhere already.
      const assistant = await shopperToken('o_demo_assistant_1');
      const staffAlready = await api.call('POST', '/api/merchants', { token: assistant, body: body(signUpId()) });
      expect(staffAlready.status).toBe(409);
      expect(staffAlready.body.error.message).toContain('柜台演示商行');
      expect(await counts(api)).toEqual(before);
    });

    it('refuses bad fields with Chinese reasons naming them, and staff sessions (403)', async () => {
      const token = await shopperToken('o_new_owner_3');
      const bad = await api.call('POST', '/api/merchants', { token, body: { ...body(signUpId(), 'x'.repeat(33)), store: { ...store, phone: '12345' } } });
      expect(bad.status).toBe(400);
      const paths = (bad.body.error.fields as { path: string; message: string }[]).map((f) => `${f.path}: ${f.message}`);
      expect(paths).toEqual(expect.arrayContaining([expect.stringContaining('shopName: 店铺名称最多 32 个字（shop_name_length_max）'), expect.stringContaining('store.phone: 电话应为')]));
      const owner = await api.staffToken('o_demo_owner');
      expect((await api.call('POST', '/api/merchants', { token: owner, body: body(signUpId()) })).status).toBe(403);
    });

    it('leaves nothing behind when a step fails midway', async () => {
      const token = await shopperToken('o_new_owner_4');
      // The chart of accounts is written after the merchant, store and owner: make that step fail.
      await sql.raw(`create or replace function fail_chart() returns trigger language plpgsql as $$ begin raise exception 'chart refused for the test'; end $$`).execute(api.deps.db);
      await sql.raw(`create trigger fail_chart before insert on ledger_accounts for each row execute function fail_chart()`).execute(api.deps.db);
      const before = await counts(api);
      try {
        const res = await api.call('POST', '/api/merchants', { token, body: body(signUpId(), '会失败的店') });
        expect(res.status).toBe(500);
      } finally {
        await sql.raw(`drop trigger fail_chart on ledger_accounts`).execute(api.deps.db);
      }
      expect(await counts(api)).toEqual(before);
      const login = await api.call('POST', '/api/auth/staff/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_new_owner_4') } });
      expect(login.status).toBe(403);
    });

    it('the new shop bills a product in cash with balanced books; the checklist ticks itself from real data', async () => {
      const token = await shopperToken('o_new_owner_5');
      const session = staffSession.parse((await api.call('POST', '/api/merchants', { token, body: body(signUpId(), '林记杂货') })).body);
      const owner = session.token;
      const storeId = session.stores[0]!.id;
      const list = async () => checklistResponse.parse((await api.call('GET', '/api/merchant/setup-checklist', { token: owner })).body);
      expect((await list()).items.filter((i) => i.done)).toEqual([]);

      const category = await api.call('POST', '/api/categories', { token: owner, body: { name: '上衣' } });
      expect(category.status).toBe(201);
      const product = await api.call('POST', '/api/products', {
        token: owner,
        body: {
          name: '纯棉T恤',
          categoryId: category.body.id,
          unit: '件',
          skus: [
            { barcode: ean13('690000000001'), spec: { 颜色: '白', 尺码: 'M' }, retailPriceFen: 5900, costFen: 3000 },
            { barcode: ean13('690000000002'), spec: { 颜色: '白', 尺码: 'L' }, retailPriceFen: 5900, costFen: 3000 },
          ],
        },
      });
      expect(product.status).toBe(201);
      const sku = await api.deps.db.selectFrom('skus').select(['id', 'retail_price_fen']).where('product_id', '=', product.body.productId).orderBy('id').executeTakeFirstOrThrow();
      // Opening stock is counted in with a stocktake: a new shop's shelves are what it counts.
      const stocktakeId = newId('stocktake');
      expect((await api.call('POST', '/api/stocktakes', { token: owner, body: { stocktakeId, storeId } })).status).toBe(201);
      expect((await api.call('POST', `/api/stocktakes/${stocktakeId}/counts`, { token: owner, body: { clientScanId: 'scan-opening-1', skuId: sku.id, mode: 'set', qty: 10 } })).status).toBeLessThan(300);
      expect((await api.call('POST', `/api/stocktakes/${stocktakeId}/approve`, { token: owner, body: { uncounted: 'skip' } })).status).toBe(200);
      const sale = await api.call('POST', '/api/orders', {
        token: owner,
        body: { clientOrderId: newId('order'), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: 10_000 }], expectedTotalFen: sku.retail_price_fen },
      });
      expect(sale.status, JSON.stringify(sale.body)).toBe(201);
      expect(sale.body.order).toMatchObject({ totalFen: 5900, changeFen: 4100, status: 'paid' });
      const tb = (await api.call('GET', '/api/ledger/trial-balance', { token: owner })).body;
      expect(tb.totals.debitFen).toBe(tb.totals.creditFen);
      const balance = (code: string) => tb.accounts.find((a: { account: string }) => a.account === code)?.balanceFen;
      expect(balance('cash')).toBe(5900);
      expect(balance('sales_revenue')).toBe(5900);

      expect((await api.call('POST', '/api/merchant/setup-marks', { token: owner, body: { step: 'store_qr' } })).status).toBe(200);
      const invite = await api.call('POST', '/api/staff/invites', { token: owner, body: { name: '小周', role: 'assistant', storeIds: [storeId] } });
      expect(invite.status).toBe(201);
      const open = await api.call('GET', '/api/staff/invites', { token: owner });
      expect(open.body.items.map((i: { code: string }) => i.code)).toEqual([invite.body.code]);
      const bound = await api.call('POST', '/api/auth/staff/bind', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_new_assistant_5'), inviteCode: invite.body.code } });
      expect(bound.status).toBe(200);
      expect((await api.call('GET', '/api/staff/invites', { token: owner })).body.items).toEqual([]);
      const done = await list();
      expect(done.items.map((i) => `${i.step}:${i.done}`)).toEqual(['add_products:true', 'invite_staff:true', 'payments:false', 'store_qr:true']);
      expect(done.allDone).toBe(false);
    });

    it('manages stores and staff: no owner left is 409, a store with an open shift stays open, another merchant is 404, an assistant 403', async () => {
      const token = await shopperToken('o_new_owner_6');
      const session = staffSession.parse((await api.call('POST', '/api/merchants', { token, body: body(signUpId(), '林记二号') })).body);
      const owner = session.token;
      const created = await api.call('POST', '/api/merchant/stores', { token: owner, body: { name: '二店', address: '杭州市拱墅区 8 号', phone: '0571-88886666', businessHours: '10:00-22:00' } });
      expect(created.status).toBe(201);
      const second = created.body.store.id as string;
      const stores = await api.call('GET', '/api/merchant/stores', { token: owner });
      expect(stores.body.items.map((s: { name: string }) => s.name)).toEqual([store.name, '二店']);
      const edited = await api.call('PATCH', `/api/merchant/stores/${second}`, { token: owner, body: { businessHours: '10:00-23:00' } });
      expect(edited.body.store).toMatchObject({ businessHours: '10:00-23:00', active: true });

      // The owner cannot demote or deactivate themselves as the only owner.
      const before = await counts(api);
      for (const change of [{ role: 'manager', storeIds: [second] }, { active: false }]) {
        const res = await api.call('PATCH', `/api/staff/${session.staff.id}`, { token: owner, body: change });
        expect(res.status).toBe(409);
        expect(res.body.error.message).toBe('至少保留一位店主');
      }
      expect(await counts(api)).toEqual(before);

      // An assistant bound by invitation, moved to the second store, then deactivated: audited each time.
      const invite = await api.call('POST', '/api/staff/invites', { token: owner, body: { name: '小吴', role: 'assistant', storeIds: [session.stores[0]!.id] } });
      const bound = staffSession.parse((await api.call('POST', '/api/auth/staff/bind', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_new_assistant_6'), inviteCode: invite.body.code } })).body);
      expect((await api.call('GET', '/api/merchant/stores', { token: bound.token })).status).toBe(403);
      expect((await api.call('PATCH', `/api/staff/${bound.staff.id}`, { token: bound.token, body: { role: 'owner' } })).status).toBe(403);
      const moved = await api.call('PATCH', `/api/staff/${bound.staff.id}`, { token: owner, body: { storeIds: [second] } });
      expect(moved.body.staff).toMatchObject({ role: 'assistant', storeIds: [second] });

      // A shift open in the second store keeps it from closing.
      const shift = await api.call('POST', '/api/shifts', { token: bound.token, body: { clientShiftId: newId('shift'), storeId: second, deviceId: 'dev-test-6', openingFloatFen: 0 } });
      expect(shift.status).toBe(201);
      const closing = await api.call('PATCH', `/api/merchant/stores/${second}`, { token: owner, body: { active: false } });
      expect(closing.status).toBe(409);
      expect(closing.body.error.message).toContain('未交班');

      const off = await api.call('PATCH', `/api/staff/${bound.staff.id}`, { token: owner, body: { active: false } });
      expect(off.body.staff.active).toBe(false);
      expect((await api.call('GET', '/api/stores', { token: bound.token })).status).toBe(401);
      const actions = await api.deps.db.selectFrom('audit_log').select('action').where('merchant_id', '=', session.merchant.id).orderBy('id').execute();
      expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['store.created', 'store.updated', 'staff.updated']));

      // The demo's owner reaching this shop's store and staff: not found.
      const demoOwner = await api.staffToken('o_demo_owner');
      expect((await api.call('PATCH', `/api/merchant/stores/${second}`, { token: demoOwner, body: { name: 'x' } })).status).toBe(404);
      expect((await api.call('PATCH', `/api/staff/${session.staff.id}`, { token: demoOwner, body: { active: false } })).status).toBe(404);
      expect((await api.call('DELETE', `/api/staff/invites/${invite.body.code}`, { token: demoOwner })).status).toBe(404);
    });

    it('a closed store turns shoppers away by its code and takes no live sale; reopened, it does again', async () => {
      const token = await shopperToken('o_new_owner_closing');
      // From a phone of its own: the tests before this one used up the test address's sign-ups for the hour.
      const opened = await api.call('POST', '/api/merchants', { token, body: body(signUpId(), '小周杂货'), headers: { 'x-real-ip': '10.9.8.7' } });
      expect(opened.body).toMatchObject({ merchant: { name: '小周杂货' } });
      const session = staffSession.parse(opened.body);
      const owner = session.token;
      const made = await api.call('POST', '/api/merchant/stores', { token: owner, body: { ...store, name: '小周杂货二店' } });
      expect(made.status).toBe(201);
      const { id: storeId, code } = made.body.store as { id: string; code: string };
      expect((await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { active: false } })).status).toBe(200);

      const shown = await api.call('GET', `/api/public/stores/${code}`);
      expect(shown.status).toBe(409);
      expect(shown.body.error.message).toContain('已停业');
      const login = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code: await api.loginCode('wechat', 'o_shopper_at_closed'), storeCode: code } });
      expect(login.status).toBe(409);
      const sale = { clientOrderId: newId('order'), storeId, lines: [{ skuId: newId('sku'), qty: 1 }], tenders: [{ method: 'cash', amountFen: 100 }], expectedTotalFen: 100 };
      const refused = await api.call('POST', '/api/orders', { token: owner, body: sale });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('已停业');
      expect(await api.deps.db.selectFrom('orders').select('id').where('store_id', '=', storeId).execute()).toEqual([]);

      expect((await api.call('PATCH', `/api/merchant/stores/${storeId}`, { token: owner, body: { active: true } })).status).toBe(200);
      expect((await api.call('GET', `/api/public/stores/${code}`)).status).toBe(200);
      // Open again, the same sale now fails only for what it is: a product this shop does not have.
      const unknownSku = await api.call('POST', '/api/orders', { token: owner, body: sale });
      expect(unknownSku.body.error.message).not.toContain('已停业');
    });
  });
}
