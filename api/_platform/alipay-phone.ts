import { createDecipheriv, createVerify } from 'node:crypto';
import { AppError } from '../_kernel/errors.js';
import { publicKeyPem } from './pem.js';

/**
 * The phone number an Alipay user agreed to share through `my.getPhoneNumber`.
 * The mini-program hands over `res.response` unchanged: a JSON string
 * `{response: <Base64 AES ciphertext>, sign, sign_type: 'RSA2', encrypt_type:
 * 'AES', charset}`. The signature is checked first, over the ciphertext with
 * double quotes around it (as alipay-sdk's rsaCheck is called), with the
 * Alipay public key; only then is it decrypted with the app's AES content key
 * (AES-CBC, sixteen zero bytes of IV, PKCS#7), giving
 * `{code: '10000', msg, mobile}` or `{code, msg, subCode, subMsg}`.
 */

export interface AlipayPhoneOptions {
  alipayPublicKey: string;
  /** The app's AES content key (接口内容加密), Base64 of 16 or 32 bytes. */
  aesKey: string;
}

export interface AlipayPhoneClient {
  phoneNumber(encrypted: string): Promise<{ phone: string }>;
}

/** The encrypted answer is a few hundred bytes; anything much longer is not one. */
export const alipay_phone_answer_chars_max = 4096;

const refused = (message: string) => new AppError('bad_request', message, [{ path: 'response', message }]);

function aesAlgorithm(key: Buffer): 'aes-128-cbc' | 'aes-256-cbc' {
  if (key.length === 16) return 'aes-128-cbc';
  if (key.length === 32) return 'aes-256-cbc';
  throw new AppError('unavailable', '支付宝手机号暂不可用', undefined, { detail: `ALIPAY_AES_KEY decodes to ${key.length} bytes, not 16 or 32` });
}

export function createAlipayPhone(options: AlipayPhoneOptions): AlipayPhoneClient {
  const publicKey = publicKeyPem(options.alipayPublicKey);
  const key = Buffer.from(options.aesKey, 'base64');
  const algorithm = aesAlgorithm(key);
  return {
    async phoneNumber(encrypted) {
      if (encrypted.length === 0 || encrypted.length > alipay_phone_answer_chars_max) throw refused(`支付宝授权结果（response）应为 1 至 ${alipay_phone_answer_chars_max} 个字符（alipay_phone_answer_chars_max）`);
      let envelope: Record<string, unknown>;
      try {
        envelope = JSON.parse(encrypted) as Record<string, unknown>;
      } catch {
        throw refused('支付宝授权结果（response）不是 JSON');
      }
      const cipherText = envelope?.['response'];
      const sign = envelope?.['sign'];
      if (typeof cipherText !== 'string' || typeof sign !== 'string' || cipherText === '' || sign === '') throw refused('支付宝授权结果（response）缺少密文或签名');
      if (envelope['sign_type'] !== undefined && envelope['sign_type'] !== 'RSA2') throw refused('支付宝授权结果（response）的签名方式不是 RSA2');
      const verifier = createVerify('RSA-SHA256');
      verifier.update(`"${cipherText}"`, 'utf8');
      let valid: boolean;
      try {
        valid = verifier.verify(publicKey, sign, 'base64');
      } catch {
        valid = false;
      }
      if (!valid) throw refused('支付宝授权结果（response）验签失败');
      let plain: Record<string, unknown>;
      try {
        const decipher = createDecipheriv(algorithm, key, Buffer.alloc(16));
        const text = Buffer.concat([decipher.update(Buffer.from(cipherText, 'base64')), decipher.final()]).toString('utf8');
        plain = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Signed by Alipay yet not decryptable with our key: our key is wrong, not the shopper's request.
        throw new AppError('platform_error', '支付宝手机号无法解密', undefined, { detail: 'the signed Alipay phone answer did not decrypt with ALIPAY_AES_KEY' });
      }
      if (plain['code'] !== '10000') {
        throw refused(`支付宝未给出手机号：${typeof plain['subMsg'] === 'string' ? plain['subMsg'] : typeof plain['msg'] === 'string' ? plain['msg'] : '未知原因'}`);
      }
      const mobile = plain['mobile'];
      if (typeof mobile !== 'string' || mobile === '') throw new AppError('platform_error', '支付宝返回的手机号无法识别', undefined, { detail: 'Alipay phone answer without mobile' });
      return { phone: mobile };
    },
  };
}
