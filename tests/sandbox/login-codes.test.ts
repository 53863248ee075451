import { describe, expect, it } from 'vitest';
import { LoginCodes, login_code_ttl_ms } from '../../tools/sandbox/login-codes';

describe('LoginCodes', () => {
  const user = { platform: 'alipay', appId: '2021000000000001', userId: '2088000000000001' } as const;

  it('redeems a code once, within its lifetime, for its own platform and app only', () => {
    let nowMs = 1_000_000;
    const codes = new LoginCodes(() => nowMs);
    const code = codes.issue(user);
    if (code === undefined) throw new Error('no code issued');
    expect(codes.redeem('wechat', user.appId, code)).toEqual({ outcome: 'unknown' });
    expect(codes.redeem('alipay', '2021000000000002', code)).toEqual({ outcome: 'unknown' });
    expect(codes.redeem('alipay', user.appId, code)).toEqual({ outcome: 'ok', user });
    expect(codes.redeem('alipay', user.appId, code)).toEqual({ outcome: 'used' });

    const late = codes.issue(user);
    if (late === undefined) throw new Error('no code issued');
    nowMs += login_code_ttl_ms - 1;
    const stillValid = codes.issue(user) ?? '';
    nowMs += 1;
    expect(codes.redeem('alipay', user.appId, late)).toEqual({ outcome: 'expired' });
    expect(codes.redeem('alipay', user.appId, stillValid)).toEqual({ outcome: 'ok', user });
  });
});
