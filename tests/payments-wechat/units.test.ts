import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fitDescription } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { authorizationHeader, parseAuthorizationHeader, paySignMessage, requestMessage } from '../../api/_payments/wechat/signing';
import { beijingRfc3339, refundStateOf, tradeStateOf } from '../../api/_payments/wechat/trade-state';
import { selfSignedCertificate } from '../../tools/sandbox/x509';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const baseEnv = {
  WECHATPAY_MCHID: '1900000001',
  WECHAT_APPID: 'wx1234567890abcdef',
  WECHATPAY_MERCHANT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  WECHATPAY_MERCHANT_SERIAL: '5f1c72e2a8931b72a2e13af8dee92471eb397115',
  WECHATPAY_APIV3_KEY: 'Abcdefghijklmnopqrstuvwxyz012345',
  WECHATPAY_PLATFORM_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000000012026112300000000000001',
};

describe('signing strings', () => {
  it('every line ends in LF, GET ends in an empty body line', () => {
    expect(requestMessage('GET', '/v3/pay/transactions/out-trade-no/A1?mchid=1', '1', 'n', '')).toBe('GET\n/v3/pay/transactions/out-trade-no/A1?mchid=1\n1\nn\n\n');
    expect(paySignMessage('wx1', '1554208460', 'N', 'prepay_id=p')).toBe('wx1\n1554208460\nN\nprepay_id=p\n');
  });
  it('Authorization header reads back, in any item order', () => {
    const parts = { mchid: '1900000001', nonce_str: 'N', signature: 'c2ln', timestamp: '1700000000', serial_no: 'AB' };
    expect(parseAuthorizationHeader(authorizationHeader(parts))).toEqual(parts);
    expect(parseAuthorizationHeader('WECHATPAY2-SHA256-RSA2048 serial_no="AB", timestamp="1700000000",signature="c2ln",nonce_str="N",mchid="1900000001"')).toEqual(parts);
    expect(parseAuthorizationHeader('Bearer x')).toBeUndefined();
    expect(parseAuthorizationHeader('WECHATPAY2-SHA256-RSA2048 mchid="1"')).toBeUndefined();
  });
});

describe('trade states', () => {
  it.each([
    ['SUCCESS', 'succeeded'],
    ['REFUND', 'succeeded'],
    ['NOTPAY', 'pending'],
    ['USERPAYING', 'pending'],
    ['CLOSED', 'closed'],
    ['REVOKED', 'closed'],
    ['PAYERROR', 'failed'],
  ])('%s → %s', (tradeState, state) => {
    const mapped = tradeStateOf({ out_trade_no: 'A00001', trade_state: tradeState, trade_state_desc: 'd', amount: { total: 1 }, success_time: '2026-11-23T10:00:00+08:00' });
    expect(mapped.state).toBe(state);
    expect(mapped.amountFen).toBe(1);
    expect(mapped.paidAt !== undefined).toBe(state === 'succeeded');
    expect(mapped.failure).toEqual(state === 'failed' ? { code: 'PAYERROR', message: 'd' } : undefined);
  });
  it('an unknown trade_state throws instead of guessing', () => {
    expect(() => tradeStateOf({ out_trade_no: 'A00001', trade_state: 'PAID' })).toThrow(/PAID/);
  });
  it.each([
    ['SUCCESS', 'succeeded'],
    ['PROCESSING', 'pending'],
    ['ABNORMAL', 'abnormal'],
    ['CLOSED', 'closed'],
  ])('refund %s → %s (API `status` and notification `refund_status` alike)', (status, state) => {
    expect(refundStateOf({ out_refund_no: 'R1', status }).state).toBe(state);
    expect(refundStateOf({ out_refund_no: 'R1', refund_status: status }).state).toBe(state);
  });
  it('time_expire is Beijing RFC 3339', () => {
    expect(beijingRfc3339(new Date('2026-10-02T02:00:00Z'))).toBe('2026-10-02T10:00:00+08:00');
    expect(beijingRfc3339(new Date('2026-12-31T16:30:05.999Z'))).toBe('2027-01-01T00:30:05+08:00');
  });
});

describe('description limit (127 UTF-8 bytes)', () => {
  it('keeps 127 bytes, cuts at 128, never splits a character', () => {
    expect(fitDescription('a'.repeat(127))).toBe('a'.repeat(127));
    expect(fitDescription('a'.repeat(128))).toBe('a'.repeat(127));
    const chinese = fitDescription('柜'.repeat(50));
    expect(Buffer.byteLength(chinese)).toBe(126);
    expect(chinese).toBe('柜'.repeat(42));
  });
});

describe('readWechatPayConfig', () => {
  it('reads keys once into KeyObjects and upper-cases the merchant serial', () => {
    const config = readWechatPayConfig(baseEnv);
    expect(config.apiBase).toBe('https://api.mch.weixin.qq.com');
    expect(config.merchantSerial).toBe('5F1C72E2A8931B72A2E13AF8DEE92471EB397115');
    expect(config.merchantPrivateKey.type).toBe('private');
    expect([...config.platformKeys.keys()]).toEqual(['PUB_KEY_ID_0119000000012026112300000000000001']);
    expect(config.apiV3Key.length).toBe(32);
  });
  it('accepts one-line PEM with \\n escapes', () => {
    const env = { ...baseEnv, WECHATPAY_MERCHANT_PRIVATE_KEY: baseEnv.WECHATPAY_MERCHANT_PRIVATE_KEY.replaceAll('\n', '\\n') };
    expect(readWechatPayConfig(env).merchantPrivateKey.type).toBe('private');
  });
  it.each([
    ['WECHATPAY_MCHID', undefined, /WECHATPAY_MCHID is not set/],
    ['WECHAT_APPID', undefined, /WECHAT_APPID is not set/],
    ['WECHATPAY_MERCHANT_PRIVATE_KEY', 'garbage!', /WECHATPAY_MERCHANT_PRIVATE_KEY does not hold/],
    ['WECHATPAY_MERCHANT_SERIAL', 'xyz', /WECHATPAY_MERCHANT_SERIAL is not/],
    ['WECHATPAY_APIV3_KEY', 'Abcdefghijklmnopqrstuvwxyz01234', /WECHATPAY_APIV3_KEY must be 32 bytes, got 31/],
    ['WECHATPAY_APIV3_KEY', 'Abcdefghijklmnopqrstuvwxyz0123456', /got 33/],
    ['WECHATPAY_PLATFORM_PUBLIC_KEY_ID', undefined, /WECHATPAY_PLATFORM_PUBLIC_KEY_ID is not set/],
    ['WECHATPAY_PLATFORM_PUBLIC_KEY_ID', 'KEY1', /PUB_KEY_ID_/],
    ['WECHATPAY_API_BASE', 'not a url', /WECHATPAY_API_BASE does not hold a URL/],
  ])('%s = %s → %s', (name, value, message) => {
    expect(() => readWechatPayConfig({ ...baseEnv, [name]: value })).toThrow(message);
  });
  it('WECHATPAY_PLATFORM_CERTS holds several certificates (one line or many), each keyed by its own serial', () => {
    const subject = { country: 'CN', organization: 'Tenpay.com', organizationalUnit: 'Tenpay.com CA Center', commonName: 'Tenpay.com Root CA' };
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2031-01-01T00:00:00Z');
    const a = selfSignedCertificate(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, subject, from, to);
    const b = selfSignedCertificate(privateKey, subject, from, to);
    for (const certs of [`${a.pem}${b.pem}`, `${a.pem}\n${b.pem}`.replaceAll('\n', '\\n')]) {
      const { WECHATPAY_PLATFORM_PUBLIC_KEY: _k, WECHATPAY_PLATFORM_PUBLIC_KEY_ID: _i, ...rest } = baseEnv;
      const config = readWechatPayConfig({ ...rest, WECHATPAY_PLATFORM_CERTS: certs });
      expect([...config.platformKeys.keys()].sort()).toEqual([a.serial, b.serial].sort());
      expect(config.platformKeys.get(b.serial)?.export({ type: 'spki', format: 'pem' })).toBe(publicKey.export({ type: 'spki', format: 'pem' }));
    }
  });
  it('needs some platform verification material', () => {
    const { WECHATPAY_PLATFORM_PUBLIC_KEY: _k, WECHATPAY_PLATFORM_PUBLIC_KEY_ID: _i, ...rest } = baseEnv;
    expect(() => readWechatPayConfig(rest)).toThrow(/WECHATPAY_PLATFORM_CERTS/);
    expect(() => readWechatPayConfig({ ...rest, WECHATPAY_PLATFORM_CERTS: 'nope' })).toThrow(/WECHATPAY_PLATFORM_CERTS does not hold a PEM certificate/);
  });
});
