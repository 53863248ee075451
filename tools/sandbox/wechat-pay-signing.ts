import { createCipheriv, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { parseAuthorizationHeader, requestMessage, responseMessage, signSha256Rsa, verifySha256Rsa } from '../../api/_payments/wechat/signing';

/**
 * The platform's side of WeChat Pay v3 signing: checking a merchant's
 * Authorization header, signing answers and notifications, and encrypting a
 * notification's resource. Tests use these too, to mint notifications.
 */

/** The platform refuses a request timestamp further than this from its clock. */
export const wechat_request_skew_max_ms = 5 * 60 * 1000;
const gcm_nonce_chars = 12;
const nonce_alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export type RequestCheck = { ok: true } | { ok: false; reason: string };

export function checkMerchantRequest(options: {
  authorization: string | undefined;
  method: string;
  pathAndQuery: string;
  body: string;
  mchId: string;
  merchantSerial: string;
  merchantPublicKey: KeyObject;
  nowMs: number;
}): RequestCheck {
  if (!options.authorization) return { ok: false, reason: '缺少Authorization请求头' };
  const parts = parseAuthorizationHeader(options.authorization);
  if (!parts) return { ok: false, reason: 'Authorization请求头格式错误' };
  if (parts.mchid !== options.mchId) return { ok: false, reason: `商户号 ${parts.mchid} 不存在` };
  if (parts.serial_no.toUpperCase() !== options.merchantSerial.toUpperCase()) return { ok: false, reason: `商户证书序列号 ${parts.serial_no} 有误` };
  if (!/^\d{10}$/.test(parts.timestamp) || Math.abs(Number(parts.timestamp) * 1000 - options.nowMs) > wechat_request_skew_max_ms) {
    return { ok: false, reason: '时间戳已过期或格式错误（应为秒级Unix时间）' };
  }
  const message = requestMessage(options.method, options.pathAndQuery, parts.timestamp, parts.nonce_str, options.body);
  if (!verifySha256Rsa(options.merchantPublicKey, message, parts.signature)) return { ok: false, reason: '签名错误，请检查签名串与商户私钥' };
  return { ok: true };
}

function nonce(chars: number): string {
  const bytes = randomBytes(chars);
  let out = '';
  for (const byte of bytes) out += nonce_alphabet[byte % nonce_alphabet.length];
  return out;
}

/** The headers WeChat Pay puts on every answer and notification. */
export function platformSignatureHeaders(body: string, signer: { privateKey: KeyObject; serial: string }, nowMs: number): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonceStr = nonce(32);
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonceStr,
    'Wechatpay-Serial': signer.serial,
    'Wechatpay-Signature': signSha256Rsa(signer.privateKey, responseMessage(timestamp, nonceStr, body)),
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    'Request-ID': randomUUID(),
  };
}

export interface EncryptedResourceBody {
  original_type: string;
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  associated_data: string;
  nonce: string;
}

export function encryptResource(plaintext: string, apiV3Key: string, associatedData: string, originalType: string): EncryptedResourceBody {
  const iv = nonce(gcm_nonce_chars);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(iv, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), associated_data: associatedData, nonce: iv };
}

const shanghai_offset_ms = 8 * 60 * 60 * 1000;

export function beijingTime(ms: number): string {
  return `${new Date(ms + shanghai_offset_ms).toISOString().slice(0, 19)}+08:00`;
}

const summaries: Record<string, string> = {
  'TRANSACTION.SUCCESS': '支付成功',
  'REFUND.SUCCESS': '退款成功',
  'REFUND.ABNORMAL': '退款异常',
  'REFUND.CLOSED': '退款关闭',
};

/** A complete notification body (raw string, as sent) for one event. */
export function notificationBody(eventType: string, resource: object, apiV3Key: string, nowMs: number): string {
  const originalType = eventType.startsWith('REFUND.') ? 'refund' : 'transaction';
  return JSON.stringify({
    id: randomUUID(),
    create_time: beijingTime(nowMs),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: summaries[eventType] ?? eventType,
    resource: encryptResource(JSON.stringify(resource), apiV3Key, originalType, originalType),
  });
}

export function publicKeyOfCertificate(pem: string): KeyObject {
  return createPublicKey(pem);
}
