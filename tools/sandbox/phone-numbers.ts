import { createCipheriv, createHash, createSign, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { sandboxAlipayAesKey, type SandboxKeys } from './keys';
import type { WechatShipping } from './wechat-shipping';

/**
 * The phone numbers users agree to share (#17), as both platforms hand them
 * to a mini-program and its server:
 *
 * - WeChat: the `getPhoneNumber` button gives the page a one-time code (five
 *   minutes); the server exchanges it with `POST
 *   /wxa/business/getuserphonenumber?access_token=…` `{code, openid?}`, the
 *   token being one `POST /cgi-bin/stable_token` issued (shared with the
 *   shipping API's token set). Answers are HTTP 200 with `errcode`.
 * - Alipay: `my.getPhoneNumber` gives the page `res.response`, a JSON string
 *   `{response, sign, sign_type, encrypt_type, charset}`: the AES-CBC
 *   ciphertext of `{code, msg, mobile}` under the app's content key, signed
 *   (RSA2 over the ciphertext in double quotes) with Alipay's key.
 *
 * `POST /sandbox/phone {platform, appId, userId, phone?}` plays the user
 * tapping the button: it answers what the platform gives the page (`{code}`
 * or `{response}`); without `phone` the sandbox picks the user's test phone.
 */

export const phone_code_ttl_ms = 5 * 60 * 1000;
export const phone_codes_max = 10_000;
export const phone_body_bytes_max = 4 * 1024;

const phoneRequest = z.object({
  platform: z.enum(['wechat', 'alipay']),
  appId: z.string(),
  userId: z.string().min(1).max(64),
  phone: z.string().regex(/^1[3-9]\d{9}$/, 'a mainland mobile number, 11 digits').optional(),
  /** Alipay only: the answer the user's refusal or an unauthorised app gets instead of a phone. */
  refuse: z.boolean().optional(),
});

/** The sandbox user's own test phone: the same for a user every time, so a tester can bind it twice. */
export function sandboxTestPhone(userId: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(`phone:${userId}`).digest('hex').slice(0, 15)}`) % 100_000_000n;
  return `139${digits.toString().padStart(8, '0')}`;
}

interface IssuedPhoneCode {
  appId: string;
  openId: string;
  phone: string;
  expiresAtMs: number;
  used: boolean;
}

export class PhoneCodes {
  readonly #codes = new Map<string, IssuedPhoneCode>();
  constructor(private readonly now: () => number) {}

  issue(appId: string, openId: string, phone: string): string | undefined {
    for (const [code, issued] of this.#codes) if (issued.expiresAtMs <= this.now()) this.#codes.delete(code);
    if (this.#codes.size >= phone_codes_max) return undefined;
    const code = randomBytes(16).toString('hex');
    this.#codes.set(code, { appId, openId, phone, expiresAtMs: this.now() + phone_code_ttl_ms, used: false });
    return code;
  }

  redeem(code: string): IssuedPhoneCode | 'used' | undefined {
    const issued = this.#codes.get(code);
    if (!issued || issued.expiresAtMs <= this.now()) return undefined;
    if (issued.used) return 'used';
    issued.used = true;
    return issued;
  }
}

/** What `my.getPhoneNumber` puts in `res.response`. */
export function alipayPhoneAnswer(keys: SandboxKeys, plain: Record<string, string>): string {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(sandboxAlipayAesKey(keys), 'base64'), Buffer.alloc(16));
  const response = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]).toString('base64');
  const sign = createSign('RSA-SHA256').update(`"${response}"`, 'utf8').sign(keys.alipay.alipayPrivateKey, 'base64');
  return JSON.stringify({ response, sign, sign_type: 'RSA2', encrypt_type: 'AES', charset: 'UTF-8' });
}

export function phoneNumberRoutes(keys: SandboxKeys, shipping: WechatShipping, now: () => number): Hono {
  const app = new Hono();
  const codes = new PhoneCodes(now);
  const err = (errcode: number, errmsg: string) => ({ errcode, errmsg });

  app.post('/sandbox/phone', bodyLimit({ maxSize: phone_body_bytes_max }), async (c) => {
    const parsed = phoneRequest.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    const r = parsed.data;
    const knownAppId = r.platform === 'wechat' ? keys.wechat.appId : keys.alipay.appId;
    if (r.appId !== knownAppId) return c.json({ error: `unknown ${r.platform} appId ${r.appId}` }, 400);
    const phone = r.phone ?? sandboxTestPhone(r.userId);
    if (r.platform === 'alipay') {
      const plain: Record<string, string> = r.refuse ? { code: '40003', msg: 'Insufficient Conditions', subCode: 'isv.invalid-auth-relations', subMsg: '无效的授权关系' } : { code: '10000', msg: 'Success', mobile: phone };
      return c.json({ response: alipayPhoneAnswer(keys, plain), phone }, 201);
    }
    const code = codes.issue(r.appId, r.userId, phone);
    if (code === undefined) return c.json({ error: 'too many live phone codes' }, 503);
    return c.json({ code, phone }, 201);
  });

  app.post('/wxa/business/getuserphonenumber', bodyLimit({ maxSize: phone_body_bytes_max }), async (c) => {
    const token = c.req.query('access_token');
    if (!token) return c.json(err(41001, 'access_token missing'));
    if (!shipping.tokens.has(token)) return c.json(err(40001, 'invalid credential, access_token is invalid or not latest'));
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    // A code in the query string instead of the body is refused as WeChat does.
    const code = body?.['code'];
    if (typeof code !== 'string' || code === '') return c.json(err(40029, 'invalid code'));
    const issued = codes.redeem(code);
    if (issued === 'used') return c.json(err(40029, 'invalid code, code been used'));
    if (!issued || issued.appId !== keys.wechat.appId) return c.json(err(40029, 'invalid code'));
    const openId = body?.['openid'];
    if (openId !== undefined && openId !== issued.openId) return c.json(err(40029, 'invalid code, openid mismatch'));
    return c.json({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: issued.phone,
        purePhoneNumber: issued.phone,
        // WeChat's own example sends a number here though its table says string.
        countryCode: 86,
        watermark: { timestamp: Math.floor(now() / 1000), appid: issued.appId },
      },
    });
  });
  return app;
}
