import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import WechatPay from 'wechatpay-node-v3';
import { NotificationRejected } from '../../api/_payments/channel';
import { createWechatPayChannel } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { decryptResource, openNotification, serialKey, verifyWechatSignature } from '../../api/_payments/wechat/notification';
import { paySignMessage, requestMessage, signSha256Rsa, verifySha256Rsa } from '../../api/_payments/wechat/signing';
import { requireThat } from '../_support/requires';

/**
 * The public WeChat Pay vectors in the shared vendor fixtures (see their
 * PROVENANCE.md), run through the production verification and decryption
 * code with the clock frozen at each vector's own time.
 */

const fixtures = process.env['GUITAI_VENDOR_FIXTURES'] ?? fileURLToPath(new URL('../../../shared/vendor-fixtures/', import.meta.url));
const available = existsSync(`${fixtures}/PROVENANCE.md`);

function text(path: string): string {
  return readFileSync(`${fixtures}/${path}`, 'utf8');
}
function json<T>(path: string): T {
  return JSON.parse(text(path)) as T;
}
function certificateKeys(...paths: string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const path of paths) {
    const certificate = new X509Certificate(text(path));
    keys.set(serialKey(certificate.serialNumber), certificate.publicKey);
  }
  return keys;
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

interface GoVector {
  headers: Record<string, string>;
  mocked_now_unix: number;
  apiv3_key: string;
  resource_decrypt: { associated_data: string; nonce: string };
}

describe.skipIf(!requireThat(available, `no vendor fixtures at ${fixtures}`))('WeChat Pay public vectors', () => {
  describe('official signature vectors (official test key)', () => {
    interface Official {
      request_signature: { method: string; url: string; timestamp: string; nonce_str: string; body: string; expected_signature: string };
      jsapi_and_miniprogram_paySign: { appId: string; timeStamp: string; nonceStr: string; package: string; expected_paySign: string };
    }
    it('request signature and mini-program paySign match the published values', () => {
      const vectors = json<Official>('wechatpay-official-docs/signature_vectors.json');
      const key = createPrivateKey(text('wechatpay-official-docs/official_test_private_key.pem'));
      const r = vectors.request_signature;
      expect(signSha256Rsa(key, requestMessage(r.method, r.url, r.timestamp, r.nonce_str, r.body))).toBe(r.expected_signature);
      const p = vectors.jsapi_and_miniprogram_paySign;
      expect(signSha256Rsa(key, paySignMessage(p.appId, p.timeStamp, p.nonceStr, p.package))).toBe(p.expected_paySign);
    });

    it('agrees with wechatpay-node-v3 on both strings (differential)', () => {
      const vectors = json<Official>('wechatpay-official-docs/signature_vectors.json');
      const privateKey = Buffer.from(text('wechatpay-official-docs/official_test_private_key.pem'));
      const pay = new WechatPay({
        appid: vectors.jsapi_and_miniprogram_paySign.appId,
        mchid: '1900007291',
        serial_no: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
        publicKey: Buffer.from(text('wechatpay-java/core/src/test/resources/merchant_certificate.pem')),
        privateKey,
      });
      const r = vectors.request_signature;
      expect(pay.getSignature(r.method, r.nonce_str, r.timestamp, r.url, r.body)).toBe(r.expected_signature);
      const p = vectors.jsapi_and_miniprogram_paySign;
      expect(pay.sha256WithRsa(paySignMessage(p.appId, p.timeStamp, p.nonceStr, p.package))).toBe(p.expected_paySign);
    });
  });

  describe('wechatpay-go notification (certificate mode, AES-128 test key)', () => {
    const load = () => ({
      vector: json<GoVector>('wechatpay-go/notify_test.payscore.vector.json'),
      body: text('wechatpay-go/notify_test.payscore.body.json'),
      keys: certificateKeys('wechatpay-go/notify_test.platform_cert.pem'),
    });

    it('verifies over the raw bytes and decrypts to the published plaintext', () => {
      const { vector, body, keys } = load();
      const opened = openNotification(body, vector.headers, new Date(vector.mocked_now_unix * 1000), keys, Buffer.from(vector.apiv3_key));
      expect(opened.plaintext).toBe(text('wechatpay-go/notify_test.payscore.plaintext.json'));
      expect(opened.eventType).toBe('PAYSCORE.USER_OPEN_SERVICE');
      expect(opened.id).toBe('3119dfba-e649-5eec-ab1e-3412bc4d2e17');
    });

    it('is stale 300 s after its timestamp (either way) and fresh at 299 s', () => {
      const { vector, body, keys } = load();
      const at = (seconds: number) => () => verifyWechatSignature(body, vector.headers, keys, new Date((vector.mocked_now_unix + seconds) * 1000));
      expect(rejection(at(299))).toBe('accepted');
      expect(rejection(at(-299))).toBe('accepted');
      expect(rejection(at(300))).toBe('stale');
      expect(rejection(at(-300))).toBe('stale');
    });

    it('refuses a tampered body, a forged signature, an unknown serial, lower-case header names accepted', () => {
      const { vector, body, keys } = load();
      const now = new Date(vector.mocked_now_unix * 1000);
      const lower = Object.fromEntries(Object.entries(vector.headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(rejection(() => verifyWechatSignature(body, lower, keys, now))).toBe('accepted');
      expect(rejection(() => verifyWechatSignature(body.replace('签约成功', '签约失败'), vector.headers, keys, now))).toBe('bad_signature');
      const forged = { ...vector.headers, 'Wechatpay-Signature': `WECHATPAY/SIGNTEST/${vector.headers['Wechatpay-Signature']}` };
      expect(rejection(() => verifyWechatSignature(body, forged, keys, now))).toBe('bad_signature');
      expect(rejection(() => verifyWechatSignature(body, { ...vector.headers, 'Wechatpay-Serial': 'D7CE59D1F522D702' }, keys, now))).toBe('unknown_serial');
    });

    it('through the channel: verified and decrypted, then refused as not a payment or refund event', () => {
      const { vector, body } = load();
      // The channel's config insists on a 32-byte APIv3 key; this vector's key is 16 bytes, so it is swapped in after reading.
      const config = {
        ...readWechatPayConfig({
          WECHATPAY_MCHID: '1234567890',
          WECHAT_APPID: 'wx0000000000000000',
          WECHATPAY_MERCHANT_PRIVATE_KEY: text('wechatpay-java/core/src/test/resources/merchant_private_key.pem'),
          WECHATPAY_MERCHANT_SERIAL: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
          WECHATPAY_APIV3_KEY: 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb',
          WECHATPAY_PLATFORM_CERTS: text('wechatpay-go/notify_test.platform_cert.pem'),
        }),
        apiV3Key: Buffer.from(vector.apiv3_key),
      };
      const channel = createWechatPayChannel(config, { channel: 'wechat', mode: 'direct' });
      const now = new Date(vector.mocked_now_unix * 1000);
      expect(rejection(() => channel.parseNotification(body, vector.headers, now))).toBe('malformed');
      expect(rejection(() => channel.parseNotification(body, vector.headers, new Date(now.getTime() + 600_000)))).toBe('stale');
    });
  });

  describe('yansongda/pay callback (the one complete AES-256-GCM + signature vector)', () => {
    interface Vector {
      headers: Record<string, string>;
      apiv3_key: string;
    }
    const load = () => {
      const vector = json<Vector>('yansongda-pay/wechat_v3_callback.vector.json');
      // As in the project's own test, header serial 45F59D4D… names the key in wechatAppPublicKey.pem.
      const signer = new X509Certificate(text('yansongda-pay/tests/Cert/wechatAppPublicKey.pem')).publicKey;
      return { vector, body: text('yansongda-pay/wechat_v3_callback.body.json'), keys: new Map([[vector.headers['Wechatpay-Serial'] ?? '', signer]]) };
    };

    it('verifies only over the raw bytes (with \\/ escapes) and decrypts to the Tenpay certificate', () => {
      const { vector, body, keys } = load();
      const now = new Date(Number(vector.headers['Wechatpay-Timestamp']) * 1000);
      const opened = openNotification(body, vector.headers, now, keys, Buffer.from(vector.apiv3_key));
      expect(opened.plaintext).toBe(text('yansongda-pay/wechat_v3_callback.decrypted.pem'));
      const reserialised = JSON.stringify(JSON.parse(body));
      expect(reserialised).not.toBe(body);
      expect(rejection(() => verifyWechatSignature(reserialised, vector.headers, keys, now))).toBe('bad_signature');
    });

    it('the real Tenpay certificate with the same serial does not verify it (so the key map decides)', () => {
      const { vector, body } = load();
      const now = new Date(Number(vector.headers['Wechatpay-Timestamp']) * 1000);
      const tenpay = certificateKeys('yansongda-pay/tests/Cert/wechatPublicKey.crt');
      expect(tenpay.has(vector.headers['Wechatpay-Serial'] ?? '')).toBe(true);
      expect(rejection(() => verifyWechatSignature(body, vector.headers, tenpay, now))).toBe('bad_signature');
    });

    it('a flipped GCM tag bit is refused as bad_ciphertext', () => {
      const { vector, body } = load();
      const resource = (JSON.parse(body) as { resource: { algorithm: string; ciphertext: string; associated_data: string; nonce: string } }).resource;
      const data = Buffer.from(resource.ciphertext, 'base64');
      data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 1;
      expect(rejection(() => decryptResource({ ...resource, ciphertext: data.toString('base64') }, Buffer.from(vector.apiv3_key)))).toBe('bad_ciphertext');
      expect(rejection(() => decryptResource({ ...resource, associated_data: 'transaction' }, Buffer.from(vector.apiv3_key)))).toBe('bad_ciphertext');
    });
  });

  describe('wechatpay-java vectors (32-byte APIv3 key)', () => {
    interface Vectors {
      api_v3_key: string;
      aead_small_vector: { key: string; associated_data: string; nonce: string; ciphertext_base64: string; expected_plaintext: string };
      rsa_signature_vector: { message: string; signature_base64: string };
    }
    it('decrypts the downloaded platform certificate and the small AEAD vector', () => {
      const vectors = json<Vectors>('wechatpay-java/TestConfig.vectors.json');
      const download = json<{ data: { encrypt_certificate: { algorithm: string; ciphertext: string; associated_data: string; nonce: string } }[] }>(
        'wechatpay-java/TestConfig.download_certificate_response.json',
      );
      const first = download.data[0]?.encrypt_certificate;
      if (!first) throw new Error('fixture has no certificate');
      const pem = decryptResource(first, Buffer.from(vectors.api_v3_key));
      expect(pem).toBe(text('wechatpay-java/TestConfig.download_certificate.decrypted.pem'));
      expect(new X509Certificate(pem).serialNumber).toBe('5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC');
      const small = vectors.aead_small_vector;
      expect(decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: small.ciphertext_base64, associated_data: small.associated_data, nonce: small.nonce }, Buffer.from(small.key))).toBe(
        small.expected_plaintext,
      );
    });

    it('verifies the RSA vector with the merchant certificate, and not with the platform one', () => {
      const v = json<Vectors>('wechatpay-java/TestConfig.vectors.json').rsa_signature_vector;
      const merchant = createPublicKey(text('wechatpay-java/core/src/test/resources/merchant_certificate.pem'));
      const platform = createPublicKey(text('wechatpay-java/core/src/test/resources/wechat_pay_certificate.pem'));
      expect(verifySha256Rsa(merchant, v.message, v.signature_base64)).toBe(true);
      expect(verifySha256Rsa(platform, v.message, v.signature_base64)).toBe(false);
    });

    it('the public key and the certificate of the test platform are one key (both modes load from env)', () => {
      const config = readWechatPayConfig({
        WECHATPAY_MCHID: '1234567891',
        WECHAT_APPID: 'wx0000000000000000',
        WECHATPAY_MERCHANT_PRIVATE_KEY: text('wechatpay-java/core/src/test/resources/merchant_private_key.pem'),
        WECHATPAY_MERCHANT_SERIAL: '5F1C72E2A8931B72A2E13AF8DEE92471EB397115',
        WECHATPAY_APIV3_KEY: 'a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb',
        WECHATPAY_PLATFORM_PUBLIC_KEY: text('wechatpay-java/core/src/test/resources/wechat_pay_public_key.pem'),
        WECHATPAY_PLATFORM_PUBLIC_KEY_ID: 'PUB_KEY_ID_0112345678912025010100000000000000',
        WECHATPAY_PLATFORM_CERTS: text('wechatpay-java/core/src/test/resources/wechat_pay_certificate.pem'),
      });
      const byId = config.platformKeys.get('PUB_KEY_ID_0112345678912025010100000000000000');
      const byCert = config.platformKeys.get('440024045C4A427599D09BB4E3DE0279F2E813FD');
      expect(byId?.export({ type: 'spki', format: 'pem' })).toBe(byCert?.export({ type: 'spki', format: 'pem' }));
    });
  });

  it('wechatpay-go AES framing vector (16-byte key) decrypts to "Hello World"', () => {
    const v = json<{ apiv3_key: string; associated_data: string; nonce: string; ciphertext_base64: string; expected_plaintext: string }>('wechatpay-go/aes_test.vector.json');
    expect(decryptResource({ algorithm: 'AEAD_AES_256_GCM', ciphertext: v.ciphertext_base64, associated_data: v.associated_data, nonce: v.nonce }, Buffer.from(v.apiv3_key))).toBe(v.expected_plaintext);
  });
});
