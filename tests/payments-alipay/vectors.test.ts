import { createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireThat } from '../_support/requires';
import { NotificationRejected, type ChannelNotification } from '../../api/_payments/channel';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { notificationSignContent, parseNotificationForm } from '../../api/_payments/alipay/form';

/**
 * Real, public Alipay notifications (see ../shared/vendor-fixtures/PROVENANCE.md)
 * through the production path: the channel's `parseNotification` on a raw
 * form body. The vectors are from 2019–2023; Alipay notifications have no
 * freshness rule, so no clock is involved.
 */

const fixtures = fileURLToPath(new URL('../../../shared/vendor-fixtures/', import.meta.url));
const available = requireThat(existsSync(fixtures), `no vendor fixtures at ${fixtures} (the shared folder next to the repository)`);

const read = (path: string) => readFileSync(`${fixtures}${path}`, 'utf8');
const fieldsOf = (path: string) => JSON.parse(read(path)) as Record<string, string>;
const pemOfBase64 = (b64: string) => createPublicKey({ key: Buffer.from(b64.trim(), 'base64'), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
const pemOfCertificate = (path: string) => {
  // The file is a chain; the first certificate is the Alipay public-key certificate.
  const first = read(path).split('-----END CERTIFICATE-----')[0] + '-----END CERTIFICATE-----\n';
  return new X509Certificate(first).publicKey.export({ type: 'spki', format: 'pem' }).toString();
};

function channelVerifyingWith(alipayPublicKey: string) {
  // Only the public key matters for notifications; the rest is a well-formed stand-in.
  return createAlipayChannel({
    gateway: 'http://127.0.0.1:9/gateway.do',
    appId: '2021000000000001',
    appPrivateKey: read('wechatpay-java/core/src/test/resources/merchant_private_key.pem'),
    alipayPublicKey,
    sellerId: '2088000000000001',
    opAppId: '2021000000000001',
  });
}

const formOf = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function rejection(run: () => ChannelNotification): string {
  try {
    run();
    return 'accepted';
  } catch (e) {
    return e instanceof NotificationRejected ? e.reason : `threw ${String(e)}`;
  }
}

interface Vector {
  name: string;
  fields: () => Record<string, string>;
  key: () => string;
  signContent: string;
}

const vectors: Vector[] = [
  {
    name: 'yansongda sandbox TRADE_SUCCESS with a + in subject (cert mode)',
    fields: () => fieldsOf('yansongda-pay/alipay_notify_include_plus.fields.json'),
    key: () => pemOfCertificate('yansongda-pay/tests/Cert/alipayPublicCert.crt'),
    signContent: 'yansongda-pay/alipay_notify_include_plus.sign_content.txt',
  },
  {
    name: 'yuque production TRADE_SUCCESS',
    fields: () => fieldsOf('alipay-sdk-nodejs-all/notify_yuque_trade_success.fields.json'),
    key: () => pemOfBase64(read('alipay-sdk-nodejs-all/notify_yuque_trade_success.alipay_public_key.b64.txt')),
    signContent: 'alipay-sdk-nodejs-all/notify_yuque_trade_success.sign_content.txt',
  },
  {
    name: 'tpxy TRADE_SUCCESS paid with Huabei',
    fields: () => fieldsOf('alipay-sdk-nodejs-all/notify_tpxy_trade_success.fields.json'),
    key: () => read('alipay-sdk-nodejs-all/test/fixtures/alipay-notify-sign-public-key-v1.pem'),
    signContent: 'alipay-sdk-nodejs-all/notify_tpxy_trade_success.sign_content.txt',
  },
];

describe.skipIf(!available)('real Alipay notifications through parseNotification', () => {
  it.each(vectors)('$name: our sign content equals the vector', (vector) => {
    const fields = parseNotificationForm(formOf(vector.fields()));
    expect(notificationSignContent(fields!)).toBe(read(vector.signContent).replace(/\n$/, ''));
  });

  it.each(vectors)('$name: verifies and maps to a paid trade', (vector) => {
    const fields = vector.fields();
    const result = channelVerifyingWith(vector.key()).parseNotification(formOf(fields), {}, new Date());
    expect(result).toMatchObject({
      kind: 'payment',
      notificationId: fields['notify_id'],
      trade: {
        state: 'succeeded',
        outTradeNo: fields['out_trade_no'],
        platformTradeNo: fields['trade_no'],
        payerId: fields['buyer_id'],
        merchantNo: fields['seller_id'],
        appId: fields['app_id'],
      },
    });
  });

  it('maps the + vector exactly: amount in fen, payment time in Beijing time', () => {
    const vector = vectors[0]!;
    const transport = read('yansongda-pay/alipay_notify_include_plus.form-urlencoded.txt').replace(/\n$/, '');
    expect(transport).toContain('yansongda%2B');
    const result = channelVerifyingWith(vector.key()).parseNotification(transport, {}, new Date());
    expect(result).toEqual({
      kind: 'payment',
      notificationId: '2023122101222162644199160501632046',
      trade: {
        state: 'succeeded',
        outTradeNo: '1703147160',
        platformTradeNo: '2023122122001499160501589436',
        amountFen: 1,
        payerId: '2088722003899169',
        paidAt: new Date('2023-12-21T08:26:43Z'),
        merchantNo: '2088721003899159',
        appId: '9021000122682882',
        // A direct merchant's notification: the authorising app is the calling app itself.
        authAppId: '9021000122682882',
      },
    });
  });

  it('rejects the + vector when the plus is decoded twice into a space', () => {
    const vector = vectors[0]!;
    const doubled = formOf(vector.fields()).replace('yansongda%2B', 'yansongda+');
    expect(rejection(() => channelVerifyingWith(vector.key()).parseNotification(doubled, {}, new Date()))).toBe('bad_signature');
  });

  it.each(vectors)('$name: a changed amount fails the signature', (vector) => {
    const fields = { ...vector.fields(), total_amount: '100.00' };
    expect(rejection(() => channelVerifyingWith(vector.key()).parseNotification(formOf(fields), {}, new Date()))).toBe('bad_signature');
  });

  it.each(vectors)('$name: a forged signature (another vector’s) and a missing one are rejected', (vector) => {
    const other = vectors.find((v) => v !== vector)!;
    const forged = { ...vector.fields(), sign: other.fields()['sign']! };
    const channel = channelVerifyingWith(vector.key());
    expect(rejection(() => channel.parseNotification(formOf(forged), {}, new Date()))).toBe('bad_signature');
    const { sign: _sign, ...unsigned } = vector.fields();
    expect(rejection(() => channel.parseNotification(formOf(unsigned), {}, new Date()))).toBe('bad_signature');
  });

  it.each(vectors)('$name: the wrong Alipay key rejects it', (vector) => {
    const other = vectors.find((v) => v !== vector)!;
    expect(rejection(() => channelVerifyingWith(other.key()).parseNotification(formOf(vector.fields()), {}, new Date()))).toBe('bad_signature');
  });

  it('a notification for another app keeps its app id and seller id, so the core can tell (and changing them breaks the signature)', () => {
    const vector = vectors[1]!;
    const channel = channelVerifyingWith(vector.key());
    const result = channel.parseNotification(formOf(vector.fields()), {}, new Date());
    expect(result.kind === 'payment' && result.trade.appId).toBe('2019073166072302');
    expect(result.kind === 'payment' && result.trade.appId).not.toBe(channel.appId);
    expect(result.kind === 'payment' && result.trade.merchantNo).not.toBe(channel.merchantNo);
    const retargeted = { ...vector.fields(), app_id: channel.appId };
    expect(rejection(() => channel.parseNotification(formOf(retargeted), {}, new Date()))).toBe('bad_signature');
  });

  it('accepts an open-platform notification signed with sign_type, but it is no trade notification', () => {
    const fields = fieldsOf('alipay-sdk-nodejs-all/notify_servicemarket_order.fields.json');
    const channel = channelVerifyingWith(read('alipay-sdk-nodejs-all/test/fixtures/alipay-notify-sign-public-key-v2.pem'));
    expect(notificationSignContent(fields, true)).toBe(read('alipay-sdk-nodejs-all/notify_servicemarket_order.sign_content.txt').replace(/\n$/, ''));
    expect(rejection(() => channel.parseNotification(formOf(fields), {}, new Date()))).toBe('malformed');
    expect(rejection(() => channel.parseNotification(formOf({ ...fields, total_price: '1.00' }), {}, new Date()))).toBe('bad_signature');
  });

  it('rejects a form with a repeated field before anything else', () => {
    const vector = vectors[1]!;
    const body = `${formOf(vector.fields())}&total_amount=100.00`;
    expect(rejection(() => channelVerifyingWith(vector.key()).parseNotification(body, {}, new Date()))).toBe('malformed');
  });
});
