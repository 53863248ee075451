import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotificationRejected } from '../../api/_payments/channel';
import { createWechatPayChannel } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { responseMessage, signSha256Rsa } from '../../api/_payments/wechat/signing';
import { notificationBody, platformSignatureHeaders } from '../../tools/sandbox/wechat-pay-signing';
import { selfSignedCertificate } from '../../tools/sandbox/x509';

/**
 * Notifications minted with fresh keys (public-key mode), each rejection
 * reason produced by one precise change, and the mapping of what passes.
 */

const pem = (k: { export(o: { type: 'pkcs8' | 'spki'; format: 'pem' }): string | Buffer }, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }).toString();
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiV3Key = 'Abcdefghijklmnopqrstuvwxyz012345';
const keyId = 'PUB_KEY_ID_0119000000012026112300000000000001';
const now = new Date('2026-11-23T08:00:00Z');

/** The merchant's settings in public-key mode, as the environment gives them. */
const env = {
  WECHATPAY_MCHID: '1900000001',
  WECHAT_APPID: 'wx1234567890abcdef',
  WECHATPAY_MERCHANT_PRIVATE_KEY: pem(merchant.privateKey, 'pkcs8'),
  WECHATPAY_MERCHANT_SERIAL: '1DEADBEEF1DEADBEEF1DEADBEEF1DEADBEEF1DEA',
  WECHATPAY_APIV3_KEY: apiV3Key,
  WECHATPAY_PLATFORM_PUBLIC_KEY: pem(platform.publicKey, 'spki'),
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID: keyId,
};
const config = readWechatPayConfig(env);
const channel = createWechatPayChannel(config, { channel: 'wechat', mode: 'direct' });

const paid = {
  appid: 'wx1234567890abcdef',
  mchid: '1900000001',
  out_trade_no: 'GT20261123000001',
  transaction_id: '4200001234202611230000000001',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  trade_state_desc: '支付成功',
  bank_type: 'OTHERS',
  success_time: '2026-11-23T15:59:58+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 1999, payer_total: 1999, currency: 'CNY', payer_currency: 'CNY' },
};

function mint(eventType: string, resource: object, options: { signer?: typeof platform.privateKey; serial?: string; atMs?: number } = {}) {
  const at = options.atMs ?? now.getTime();
  const body = notificationBody(eventType, resource, apiV3Key, at);
  const headers = platformSignatureHeaders(body, { privateKey: options.signer ?? platform.privateKey, serial: options.serial ?? keyId }, at);
  return { body, headers };
}

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof NotificationRejected) return e.reason;
    throw e;
  }
  return 'accepted';
}

describe('WeChat Pay notifications', () => {
  it('a TRANSACTION.SUCCESS maps to a paid trade with amount, payer, merchant and app', () => {
    const { body, headers } = mint('TRANSACTION.SUCCESS', paid);
    const notification = channel.parseNotification(body, headers, now);
    expect(notification).toEqual({
      kind: 'payment',
      notificationId: (JSON.parse(body) as { id: string }).id,
      trade: {
        state: 'succeeded',
        outTradeNo: 'GT20261123000001',
        platformTradeNo: '4200001234202611230000000001',
        amountFen: 1999,
        payerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        paidAt: new Date('2026-11-23T07:59:58Z'),
        merchantNo: '1900000001',
        appId: 'wx1234567890abcdef',
      },
    });
  });

  it.each([
    ['REFUND.SUCCESS', 'SUCCESS', 'succeeded'],
    ['REFUND.ABNORMAL', 'ABNORMAL', 'abnormal'],
    ['REFUND.CLOSED', 'CLOSED', 'closed'],
  ])('%s maps to refund state %s → %s', (eventType, status, state) => {
    const refund = {
      mchid: '1900000001',
      out_trade_no: 'GT20261123000001',
      transaction_id: '4200001234202611230000000001',
      out_refund_no: 'RF20261123000001',
      refund_id: '50000000382019052709732678859',
      refund_status: status,
      ...(status === 'SUCCESS' ? { success_time: '2026-11-23T16:00:10+08:00' } : {}),
      user_received_account: '招商银行信用卡0403',
      amount: { total: 1999, refund: 1, payer_total: 1999, payer_refund: 1 },
    };
    const { body, headers } = mint(eventType, refund);
    const notification = channel.parseNotification(body, headers, now);
    expect(notification.kind).toBe('refund');
    if (notification.kind !== 'refund') return;
    expect(notification.refund.state).toBe(state);
    expect(notification.refund.refundFen).toBe(1);
    expect(notification.refund.platformRefundNo).toBe('50000000382019052709732678859');
    expect(notification.refund.refundedAt?.toISOString()).toBe(status === 'SUCCESS' ? '2026-11-23T08:00:10.000Z' : undefined);
  });

  it('forged signature (another key) → bad_signature', () => {
    const { body, headers } = mint('TRANSACTION.SUCCESS', paid, { signer: stranger.privateKey });
    expect(rejection(() => channel.parseNotification(body, headers, now))).toBe('bad_signature');
  });

  it('tampered body (one digit of the amount) → bad_signature, before any decryption', () => {
    const { body, headers } = mint('TRANSACTION.SUCCESS', paid);
    const tampered = body.replace('"summary":"支付成功"', '"summary":"支付成功 "');
    expect(tampered).not.toBe(body);
    expect(rejection(() => channel.parseNotification(tampered, headers, now))).toBe('bad_signature');
  });

  it('tampered GCM tag, correctly re-signed → bad_ciphertext', () => {
    const { body } = mint('TRANSACTION.SUCCESS', paid);
    const parsed = JSON.parse(body) as { resource: { ciphertext: string } };
    const data = Buffer.from(parsed.resource.ciphertext, 'base64');
    data[data.length - 3] = (data[data.length - 3] ?? 0) ^ 0x80;
    parsed.resource.ciphertext = data.toString('base64');
    const tampered = JSON.stringify(parsed);
    const headers = platformSignatureHeaders(tampered, { privateKey: platform.privateKey, serial: keyId }, now.getTime());
    expect(rejection(() => channel.parseNotification(tampered, headers, now))).toBe('bad_ciphertext');
  });

  it('wrong serial → unknown_serial; stale at 5 minutes either way → stale; 4:59 is fine', () => {
    const wrong = mint('TRANSACTION.SUCCESS', paid, { serial: 'PUB_KEY_ID_0119000000012026112300000000000002' });
    expect(rejection(() => channel.parseNotification(wrong.body, wrong.headers, now))).toBe('unknown_serial');
    const old = mint('TRANSACTION.SUCCESS', paid, { atMs: now.getTime() - 300_000 });
    expect(rejection(() => channel.parseNotification(old.body, old.headers, now))).toBe('stale');
    const future = mint('TRANSACTION.SUCCESS', paid, { atMs: now.getTime() + 300_000 });
    expect(rejection(() => channel.parseNotification(future.body, future.headers, now))).toBe('stale');
    const recent = mint('TRANSACTION.SUCCESS', paid, { atMs: now.getTime() - 299_000 });
    expect(rejection(() => channel.parseNotification(recent.body, recent.headers, now))).toBe('accepted');
  });

  it('a SIGNTEST probe → bad_signature; missing headers, unknown trade_state or event → malformed', () => {
    const { body, headers } = mint('TRANSACTION.SUCCESS', paid);
    const probe = { ...headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${headers['Wechatpay-Signature']}` };
    expect(rejection(() => channel.parseNotification(body, probe, now))).toBe('bad_signature');
    const { 'Wechatpay-Nonce': _nonce, ...noNonce } = headers;
    expect(rejection(() => channel.parseNotification(body, noNonce, now))).toBe('malformed');
    const odd = mint('TRANSACTION.SUCCESS', { ...paid, trade_state: 'MAYBE' });
    expect(rejection(() => channel.parseNotification(odd.body, odd.headers, now))).toBe('malformed');
    const fractional = mint('TRANSACTION.SUCCESS', { ...paid, amount: { total: 19.99 } });
    expect(rejection(() => channel.parseNotification(fractional.body, fractional.headers, now))).toBe('malformed');
    const other = mint('PROFITSHARING.SUCCESS', paid);
    expect(rejection(() => channel.parseNotification(other.body, other.headers, now))).toBe('malformed');
  });

  it('a body that is signed but not JSON → malformed', () => {
    const body = 'not json';
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const headers = {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': 'n1',
      'wechatpay-serial': keyId,
      'wechatpay-signature': signSha256Rsa(platform.privateKey, responseMessage(timestamp, 'n1', body)),
    };
    expect(rejection(() => channel.parseNotification(body, headers, now))).toBe('malformed');
  });

  it('replies: handled → 2xx with an empty body; not handled → 5xx with FAIL so WeChat Pay retries', () => {
    const ok = channel.notificationReply(true);
    expect(ok.status === 204 || ok.status === 200).toBe(true);
    expect(ok.body).toBe('');
    const fail = channel.notificationReply(false);
    expect(fail.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(fail.body)).toMatchObject({ code: 'FAIL' });
  });

  it('during a key migration both a platform certificate and a PUB_KEY_ID verify, each only for its own serial', () => {
    const certKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const certificate = selfSignedCertificate(
      certKey.privateKey,
      { country: 'CN', organization: 'Tenpay.com', organizationalUnit: 'Tenpay.com CA Center', commonName: 'Tenpay.com Root CA' },
      new Date('2026-01-01T00:00:00Z'),
      new Date('2031-01-01T00:00:00Z'),
    );
    const both = createWechatPayChannel(readWechatPayConfig({ ...env, WECHATPAY_PLATFORM_CERTS: certificate.pem }), { channel: 'wechat', mode: 'direct' });
    const byCert = mint('TRANSACTION.SUCCESS', paid, { signer: certKey.privateKey, serial: certificate.serial.toLowerCase() });
    expect(rejection(() => both.parseNotification(byCert.body, byCert.headers, now))).toBe('accepted');
    const byId = mint('TRANSACTION.SUCCESS', paid);
    expect(rejection(() => both.parseNotification(byId.body, byId.headers, now))).toBe('accepted');
    const crossed = mint('TRANSACTION.SUCCESS', paid, { signer: certKey.privateKey, serial: keyId });
    expect(rejection(() => both.parseNotification(crossed.body, crossed.headers, now))).toBe('bad_signature');
    expect(rejection(() => channel.parseNotification(byCert.body, byCert.headers, now))).toBe('unknown_serial');
  });
});

describe('an API call that hangs', () => {
  it('fails as a network error once wechat_request_timeout_ms (here shortened) has passed, so the caller queries later', async () => {
    const silent: typeof fetch = (_url, init) => new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const hanging = createWechatPayChannel(config, { channel: 'wechat', mode: 'direct' }, { fetch: silent, requestTimeoutMs: 50 });
    await expect(hanging.query('GT20261123000001')).rejects.toMatchObject({ platformCode: 'network' });
  });
});
