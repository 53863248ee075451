import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { shopperToken } from '../_support/members';
import { seedOtherMerchant } from '../_support/other-merchant';
import { member_code_window_seconds, memberCodeResponse, memberLookupResponse } from '../../shared/api/members';

/** The member code (会员码, #17): rotating, signed, read by the counter; an old or forged one is a clear 400. */
for (const target of dbTargets().slice(0, 1)) {
  describe(`the member code, on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    beforeAll(async () => {
      api = await startTestApi(target);
      assistant = await api.staffToken('o_demo_assistant_1');
    });
    afterAll(async () => api?.stop());

    it('the counter finds the member by the code shown now and by the one from the previous minute, not by an older one', async () => {
      const s = await shopperToken(api, 'wechat', 'o_code_1');
      const start = new Date('2026-12-06T06:00:10Z');
      api.setNow(start);
      try {
        const shown = memberCodeResponse.parse((await api.call('GET', '/api/me/code', { token: s.token })).body);
        expect(shown.code).not.toBe(s.memberId);
        expect(shown.code).toContain(':');
        expect(new Date(shown.refreshAt).getTime()).toBe(Date.parse('2026-12-06T06:01:00Z'));
        const lookup = () => api.call('GET', `/api/members/lookup?code=${encodeURIComponent(shown.code)}`, { token: assistant });
        expect(memberLookupResponse.parse((await lookup()).body).member.id).toBe(s.memberId);
        api.setNow(new Date(start.getTime() + member_code_window_seconds * 1000));
        const next = memberCodeResponse.parse((await api.call('GET', '/api/me/code', { token: s.token })).body);
        expect(next.code).not.toBe(shown.code);
        expect((await lookup()).status).toBe(200);
        api.setNow(new Date(start.getTime() + 2 * member_code_window_seconds * 1000));
        const expired = await lookup();
        expect(expired.status).toBe(400);
        expect(expired.body.error.message).toContain('过期');
        expect(expired.body.error.fields[0].path).toBe('code');
      } finally {
        api.setNow(null);
      }
    });

    it('a forged code, another member\'s id under a copied MAC, or another merchant\'s counter: refused', async () => {
      const a = await shopperToken(api, 'wechat', 'o_code_2');
      const b = await shopperToken(api, 'wechat', 'o_code_3');
      const { code } = memberCodeResponse.parse((await api.call('GET', '/api/me/code', { token: a.token })).body);
      const parts = code.split(':');
      const swapped = [parts[0], b.memberId, parts[2], parts[3]].join(':');
      const forged = await api.call('GET', `/api/members/lookup?code=${encodeURIComponent(swapped)}`, { token: assistant });
      expect(forged.status).toBe(400);
      expect(forged.body.error.message).toContain('无效');
      const bent = [parts[0], parts[1], parts[2], 'A'.repeat(16)].join(':');
      expect((await api.call('GET', `/api/members/lookup?code=${encodeURIComponent(bent)}`, { token: assistant })).status).toBe(400);
      await seedOtherMerchant(api.deps.db);
      const otherOwner = await api.staffToken('o_other_owner');
      expect((await api.call('GET', `/api/members/lookup?code=${encodeURIComponent(code)}`, { token: otherOwner })).status).toBe(404);
      // The bare id still works for the counter's older tools.
      expect((await api.call('GET', `/api/members/lookup?memberId=${a.memberId}`, { token: assistant })).status).toBe(200);
      // Only the member's own session shows a code.
      expect((await api.call('GET', '/api/me/code', { token: assistant })).status).toBe(403);
    });
  });
}
