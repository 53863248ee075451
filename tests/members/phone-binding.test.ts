import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { callSandbox } from '../_support/sandbox-client';
import { memberRow, phoneConsent, shopperToken } from '../_support/members';
import { alipayPhoneAnswer, sandboxTestPhone } from '../../tools/sandbox/phone-numbers';
import { createAlipayPhone } from '../../api/_platform/index';
import { sandboxAlipayAesKey } from '../../tools/sandbox/keys';

/**
 * Phone binding with the platforms' consent (#17), against the sandbox
 * speaking WeChat's and Alipay's wire formats: the phone comes only from the
 * platform, a bad code or a bad signature is a 400 naming the field, and a
 * refused request changes nothing.
 */

for (const target of dbTargets().slice(0, 1)) {
  describe(`phone binding on the platforms' wire formats, on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target);
    });
    afterAll(async () => api?.stop());

    async function stableToken(): Promise<string> {
      const res = await callSandbox(api.sandbox.url, '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: api.keys.wechat.appId, secret: api.keys.wechat.appSecret });
      return res.json.access_token as string;
    }

    it("WeChat's getuserphonenumber: the code in the JSON body, once, with a stable token; the answer carries phone_info with the app's watermark", async () => {
      const consent = await phoneConsent(api, 'wechat', 'o_phone_wire_1', '13600000001');
      if (consent.platform !== 'wechat') throw new Error('wechat consent expected');
      const token = await stableToken();
      const inQuery = await callSandbox(api.sandbox.url, `/wxa/business/getuserphonenumber?access_token=${token}&code=${consent.code}`, {});
      expect(inQuery.json.errcode).toBe(40029);
      expect((await callSandbox(api.sandbox.url, '/wxa/business/getuserphonenumber?access_token=nope', { code: consent.code })).json.errcode).toBe(40001);
      const ok = await callSandbox(api.sandbox.url, `/wxa/business/getuserphonenumber?access_token=${token}`, { code: consent.code, openid: 'o_phone_wire_1' });
      expect(ok.json).toMatchObject({ errcode: 0, errmsg: 'ok', phone_info: { purePhoneNumber: '13600000001', phoneNumber: '13600000001', watermark: { appid: api.keys.wechat.appId } } });
      expect([86, '86']).toContain(ok.json.phone_info.countryCode);
      expect((await callSandbox(api.sandbox.url, `/wxa/business/getuserphonenumber?access_token=${token}`, { code: consent.code })).json.errcode).toBe(40029);
    });

    it("Alipay's answer: RSA2 over the ciphertext in quotes with Alipay's key, AES-CBC under the app's content key; the server verifies, then decrypts", async () => {
      const consent = await phoneConsent(api, 'alipay', '2088000000123401', '13600000002');
      if (consent.platform !== 'alipay') throw new Error('alipay consent expected');
      const envelope = JSON.parse(consent.response) as Record<string, string>;
      expect(envelope).toMatchObject({ sign_type: 'RSA2', encrypt_type: 'AES', charset: 'UTF-8' });
      const client = createAlipayPhone({ alipayPublicKey: api.keys.alipay.alipayPublicKey, aesKey: sandboxAlipayAesKey(api.keys) });
      await expect(client.phoneNumber(consent.response)).resolves.toEqual({ phone: '13600000002' });
      // Signed with the app's own key instead of Alipay's: refused before any decryption.
      const forged = JSON.stringify({ ...envelope, sign: JSON.parse(alipayPhoneAnswer({ ...api.keys, alipay: { ...api.keys.alipay, alipayPrivateKey: api.keys.alipay.appPrivateKey } }, { code: '10000', msg: 'Success', mobile: '13600000002' })).sign });
      await expect(client.phoneNumber(forged)).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    });

    it('the sandbox picks the same test phone for a user when none is named (the H5 build binds it)', async () => {
      const a = await callSandbox(api.sandbox.url, '/sandbox/phone', { platform: 'wechat', appId: api.keys.wechat.appId, userId: 'o_h5_tester' });
      const b = await callSandbox(api.sandbox.url, '/sandbox/phone', { platform: 'wechat', appId: api.keys.wechat.appId, userId: 'o_h5_tester' });
      expect(a.json.phone).toBe(sandboxTestPhone('o_h5_tester'));
      expect(b.json.phone).toBe(a.json.phone);
      expect(a.json.phone).toMatch(/^1[3-9]\d{9}$/);
    });

    it('bad code, used code, tampered or refused Alipay answer, another user\'s code: a 400 naming the field, and the member is unchanged', async () => {
      const s = await shopperToken(api, 'wechat', 'o_phone_bad_1');
      const before = await memberRow(api, s.memberId);
      const bind = (body: unknown) => api.call('POST', '/api/me/phone', { token: s.token, body });

      const unknown = await bind({ platform: 'wechat', code: 'not-a-code' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.fields[0].path).toBe('code');

      // A code the sandbox issued to someone else: WeChat checks the openid we send.
      const someoneElse = await phoneConsent(api, 'wechat', 'o_phone_bad_2', '13600000003');
      expect((await bind(someoneElse)).status).toBe(400);

      const ali = await shopperToken(api, 'alipay', '2088000000123402');
      const consent = await phoneConsent(api, 'alipay', '2088000000123402', '13600000004');
      if (consent.platform !== 'alipay') throw new Error('alipay consent expected');
      const envelope = JSON.parse(consent.response) as Record<string, string>;
      const flipped = envelope.response!.slice(0, 10) + (envelope.response![10] === 'A' ? 'B' : 'A') + envelope.response!.slice(11);
      const tampered = await api.call('POST', '/api/me/phone', { token: ali.token, body: { platform: 'alipay', response: JSON.stringify({ ...envelope, response: flipped }) } });
      expect(tampered.status).toBe(400);
      expect(tampered.body.error.fields[0].path).toBe('response');
      expect(tampered.body.error.message).toContain('验签');
      const refused = await phoneConsent(api, 'alipay', '2088000000123402', '13600000004', { refuse: true });
      const refusedAnswer = await api.call('POST', '/api/me/phone', { token: ali.token, body: refused });
      expect(refusedAnswer.status).toBe(400);
      expect(refusedAnswer.body.error.message).toContain('无效的授权关系');
      expect((await api.call('POST', '/api/me/phone', { token: ali.token, body: { platform: 'alipay', response: 'not json' } })).status).toBe(400);
      expect((await api.call('POST', '/api/me/phone', { token: ali.token, body: { platform: 'wechat' } })).status).toBe(400);

      expect(await memberRow(api, s.memberId)).toEqual(before);
      expect((await memberRow(api, ali.memberId)).phone).toBeNull();
      const hashes = [JSON.stringify({ ...envelope, response: flipped })].map((r) => createHash('sha256').update(`alipay:${r}`).digest('hex'));
      expect(await api.deps.db.selectFrom('member_phone_bindings').select('id').where('code_hash', 'in', hashes).execute()).toEqual([]);
      expect(await api.deps.db.selectFrom('member_phone_bindings').select('id').where('member_id', 'in', [s.memberId, ali.memberId]).execute()).toEqual([]);
      // Staff cannot bind a phone for a shopper through this route.
      const staff = await api.staffToken('o_demo_assistant_1');
      expect((await api.call('POST', '/api/me/phone', { token: staff, body: await phoneConsent(api, 'wechat', 'o_phone_bad_1', '13600000005') })).status).toBe(403);
    });
  });
}
