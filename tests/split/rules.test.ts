import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { newId } from '../../shared/ids';
import { splitRuleResponse } from '../../shared/api/split';
import { splitsPaymentsOn } from '../../api/_split/rules.service';

/** Split rules: owner only, validated before anything is written, versioned per store. */

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`split rules on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let storeId: string;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const landlord = { name: '房东', kind: 'landlord', channel: 'wechat', accountType: 'MERCHANT_ID', account: '1900000301', description: '租金' };
    const staff = { name: '店员', kind: 'staff', channel: 'wechat', accountType: 'PERSONAL_OPENID', account: 'o_staff_1', description: '提成' };
    const rule = (receivers: unknown[], extra: Record<string, unknown> = {}) => ({ clientRuleId: newId('splitRule'), storeId, effectiveFrom: today, receivers, ...extra });
    const counts = async () => ({
      rules: Number((await api.deps.db.selectFrom('split_rules').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
      receivers: Number((await api.deps.db.selectFrom('split_receivers').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
      log: Number((await api.deps.db.selectFrom('split_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n),
    });

    beforeAll(async () => {
      api = await startTestApi(target);
      owner = await api.staffToken('o_demo_owner');
      manager = await api.staffToken('o_demo_manager');
      assistant = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    it('refuses managers, assistants and bad rules with a 4xx and writes nothing', async () => {
      const before = await counts();
      const cases: [string, string, unknown, number, RegExp][] = [
        ['manager', manager, rule([{ ...landlord, bp: 1000 }]), 403, /.+/],
        ['assistant', assistant, rule([{ ...landlord, bp: 1000 }]), 403, /.+/],
        ['over the cap', owner, rule([{ ...landlord, bp: 2000 }, { ...staff, bp: 1001 }]), 400, /30%.*split_cap_bp/],
        ['one receiver over the cap', owner, rule([{ ...landlord, bp: 3001 }]), 400, /split_cap_bp/],
        ['duplicate receiver', owner, rule([{ ...landlord, bp: 1000 }, { ...landlord, bp: 500 }]), 400, /重复/],
        ['negative bp', owner, rule([{ ...landlord, bp: -1 }]), 400, /.+/],
        ['negative fixed', owner, rule([{ ...landlord, fixedFen: -100 }]), 400, /.+/],
        ['both bp and fixed', owner, rule([{ ...landlord, bp: 100, fixedFen: 100 }]), 400, /之一/],
        ['neither bp nor fixed', owner, rule([{ ...landlord }]), 400, /之一/],
        ['Alipay account type on WeChat', owner, rule([{ ...landlord, accountType: 'loginName', bp: 100 }]), 400, /账号类型/],
        ['a past date', owner, rule([{ ...landlord, bp: 100 }], { effectiveFrom: '2020-01-01' }), 400, /生效日期/],
        ['another merchant store', owner, rule([{ ...landlord, bp: 100 }], { storeId: 'sto_01JAAAAAAAAAAAAAAAAAAAAAAA' }), 404, /.+/],
      ];
      for (const [name, token, body, status, message] of cases) {
        const res = await api.call('POST', '/api/split/rules', { token, body });
        expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
        expect(res.body.error.message, name).toMatch(message);
      }
      expect(await counts()).toEqual(before);
      expect((await api.call('GET', '/api/split/rules', { token: manager })).status).toBe(403);
    });

    it('saves versions, never edits, replays a repeat and refuses a changed repeat', async () => {
      const first = rule([{ ...landlord, bp: 2000 }, { ...staff, fixedFen: 150 }]);
      const a = await api.call('POST', '/api/split/rules', { token: owner, body: first });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect(splitRuleResponse.parse(a.body).rule.version).toBe(1);
      const again = await api.call('POST', '/api/split/rules', { token: owner, body: first });
      expect(again.status).toBe(200);
      expect(again.body.replayed).toBe(true);
      const changed = await api.call('POST', '/api/split/rules', { token: owner, body: { ...first, receivers: [{ ...landlord, bp: 2500 }] } });
      expect(changed.status).toBe(409);
      const b = await api.call('POST', '/api/split/rules', { token: owner, body: rule([{ ...landlord, name: '房东（新）', bp: 2500 }]) });
      expect(b.status).toBe(201);
      expect(b.body.rule.version).toBe(2);
      // The receiver is one row, found again by its account; the first version is untouched.
      const list = await api.call('GET', '/api/split/rules', { token: owner });
      const versions = (list.body.items as any[]).filter((r) => r.storeId === storeId);
      expect(versions.map((r) => r.version)).toEqual([2, 1]);
      expect(versions[1].receivers.map((r: any) => [r.account, r.bp, r.fixedFen])).toEqual([[landlord.account, 2000, null], [staff.account, null, 150]]);
      expect(versions[0].receivers[0].receiverId).toBe(versions[1].receivers[0].receiverId);

      const log = await api.deps.db.selectFrom('split_log').select(['event', 'rule_id']).where('event', '=', 'rule_version').execute();
      expect(log.map((l) => l.rule_id).sort()).toEqual([first.clientRuleId, b.body.rule.id].sort());

      const merchantId = api.seed.merchantId;
      expect(await splitsPaymentsOn(api.deps.db, merchantId, storeId, 'wechat', new Date())).toBe(true);
      expect(await splitsPaymentsOn(api.deps.db, merchantId, storeId, 'alipay', new Date())).toBe(false);
      expect(await splitsPaymentsOn(api.deps.db, merchantId, api.seed.storeIds.DEMO02!, 'wechat', new Date())).toBe(false);
      // A version with no receivers stops splitting at that store.
      expect((await api.call('POST', '/api/split/rules', { token: owner, body: rule([]) })).status).toBe(201);
      expect(await splitsPaymentsOn(api.deps.db, merchantId, storeId, 'wechat', new Date())).toBe(false);
    });
  });
}
