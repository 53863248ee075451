import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { default_alipay_gateway, default_wechat_api_base, readAlipayConfig, readWechatConfig } from '../../api/_platform/config';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pkcs1Pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const bare = (pem: string) => pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');

const alipayEnv = { ALIPAY_APPID: '2021000000000001', ALIPAY_APP_PRIVATE_KEY: privatePem, ALIPAY_PUBLIC_KEY: publicPem };

describe('platform config', () => {
  it('defaults the hosts to production', () => {
    expect(readWechatConfig({ WECHAT_APPID: 'wx1', WECHAT_APP_SECRET: 's' })).toEqual({ apiBase: default_wechat_api_base, appId: 'wx1', appSecret: 's' });
    expect(readAlipayConfig(alipayEnv).gateway).toBe(default_alipay_gateway);
  });

  it('names the missing variable', () => {
    expect(() => readWechatConfig({ WECHAT_APPID: 'wx1' })).toThrow(/WECHAT_APP_SECRET/);
    expect(() => readAlipayConfig({ ...alipayEnv, ALIPAY_PUBLIC_KEY: ' ' })).toThrow(/ALIPAY_PUBLIC_KEY is not set/);
    expect(() => readWechatConfig({ WECHAT_APPID: 'wx1', WECHAT_APP_SECRET: 's', WECHAT_API_BASE: 'not a url' })).toThrow(/WECHAT_API_BASE/);
  });

  it('accepts keys as PEM, one-line PEM with \\n, PKCS#1 PEM or bare base64, and gives PKCS#8 / SPKI PEM', () => {
    const shapes = [
      { ALIPAY_APP_PRIVATE_KEY: privatePem, ALIPAY_PUBLIC_KEY: publicPem },
      { ALIPAY_APP_PRIVATE_KEY: privatePem.replaceAll('\n', '\\n'), ALIPAY_PUBLIC_KEY: publicPem.replaceAll('\n', '\\n') },
      { ALIPAY_APP_PRIVATE_KEY: pkcs1Pem, ALIPAY_PUBLIC_KEY: publicPem },
      { ALIPAY_APP_PRIVATE_KEY: bare(privatePem), ALIPAY_PUBLIC_KEY: bare(publicPem) },
    ];
    for (const shape of shapes) {
      const config = readAlipayConfig({ ...alipayEnv, ...shape });
      expect(config.appPrivateKey).toBe(privatePem);
      expect(config.alipayPublicKey).toBe(publicPem);
    }
  });

  it('refuses a value that is not a key', () => {
    expect(() => readAlipayConfig({ ...alipayEnv, ALIPAY_PUBLIC_KEY: 'MIIBIjANBgkq' })).toThrow(/ALIPAY_PUBLIC_KEY does not hold a usable RSA key/);
    expect(() => readAlipayConfig({ ...alipayEnv, ALIPAY_APP_PRIVATE_KEY: publicPem })).toThrow(/ALIPAY_APP_PRIVATE_KEY/);
  });
});
