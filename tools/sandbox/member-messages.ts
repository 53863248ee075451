import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AlipayMethod } from './alipay-gateway';
import type { AlipayPaySandbox } from './alipay-pay-trades';

/**
 * Both platforms' send APIs for member messages (#17), with the users'
 * subscriptions they enforce:
 *
 * - WeChat `POST /cgi-bin/message/subscribe/send?access_token=…`
 *   `{touser, template_id, page?, data{kw: {value}}, lang?}` → HTTP 200
 *   `{errcode, errmsg}`: 40001 token, 40003 touser, 40037 template id,
 *   47003 a value against its keyword's rule, 43101 no subscription left.
 * - Alipay `alipay.open.app.mini.templatemessage.send` through the signed
 *   gateway: `biz_content{to_user_id | to_open_id, user_template_id, page,
 *   data}` where `data` must be a JSON *string*; `40002` for bad arguments,
 *   `40004` with sub_code `USER_NOT_SUBSCRIBE` when the user has no
 *   subscription (the sandbox's name: Alipay's own sub_code is not verified).
 *
 * `POST /sandbox/messages/accept {platform, user, templateId}` plays the
 * user tapping 允许 in the dialog (one send each); `POST
 * /sandbox/messages/control {platform, failNext, errcode? | code?, subCode?,
 * network?}` makes the next sends fail (HTTP 502 with `network`); `GET
 * /sandbox/messages?platform=&user=` lists what was received.
 */

export const messages_received_kept_max = 1_000;
export const messages_body_bytes_max = 16 * 1024;
const wechat_value_chars_max: Record<string, number> = { thing: 20, name: 10, phrase: 5, character_string: 32, number: 32, letter: 32, symbol: 5, phone_number: 17, car_number: 8 };
const wechat_keyword = /^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase|enum)\d{1,2}$/;
const template_id_pattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface ReceivedMessage {
  platform: 'wechat' | 'alipay';
  at: string;
  user: string;
  templateId: string;
  page: string | null;
  data: Record<string, { value: string }>;
  /** The request's body as it arrived: WeChat's JSON, Alipay's biz_content. */
  raw: Record<string, unknown>;
  answer: string;
}

type Failure = { left: number; wechatErrcode: number | null; alipay: { code: string; subCode: string } | null; network: boolean };

export class SandboxMessages {
  readonly received: ReceivedMessage[] = [];
  /** `platform user template` → sends the user allowed. */
  readonly subscriptions = new Map<string, number>();
  failures: Record<'wechat' | 'alipay', Failure> = { wechat: { left: 0, wechatErrcode: null, alipay: null, network: false }, alipay: { left: 0, wechatErrcode: null, alipay: null, network: false } };

  record(m: ReceivedMessage): void {
    this.received.push(m);
    if (this.received.length > messages_received_kept_max) this.received.shift();
  }

  /** Spends one of the user's subscriptions; false when none is left. */
  spend(platform: string, user: string, templateId: string): boolean {
    const key = `${platform} ${user} ${templateId}`;
    const left = this.subscriptions.get(key) ?? 0;
    if (left <= 0) return false;
    this.subscriptions.set(key, left - 1);
    return true;
  }
}

/** One state per sandbox, found from its Alipay state (which every gateway method is handed). */
const states = new WeakMap<AlipayPaySandbox, SandboxMessages>();
export function messagesOf(pay: AlipayPaySandbox): SandboxMessages {
  let s = states.get(pay);
  if (!s) states.set(pay, (s = new SandboxMessages()));
  return s;
}

function dataProblem(data: unknown, wechat: boolean): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'data';
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (wechat && !wechat_keyword.test(k)) return `data.${k}`;
    if (!wechat && !/^keyword\d{1,2}$/.test(k)) return `data.${k}`;
    const value = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).value : undefined;
    if (typeof value !== 'string') return `data.${k}.value`;
    const max = wechat ? wechat_value_chars_max[k.replace(/\d+$/, '')] : undefined;
    if (max !== undefined && [...value].length > max) return `data.${k}.value`;
  }
  return undefined;
}

export function wechatMessageRoutes(tokens: Set<string>, messages: SandboxMessages, now: () => number): Hono {
  const app = new Hono();
  const err = (c: Context, errcode: number, errmsg: string) => c.json({ errcode, errmsg });
  app.post('/cgi-bin/message/subscribe/send', bodyLimit({ maxSize: messages_body_bytes_max }), async (c) => {
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    const at = new Date(now()).toISOString();
    const base = { platform: 'wechat' as const, at, user: String(body?.touser ?? ''), templateId: String(body?.template_id ?? ''), page: typeof body?.page === 'string' ? body.page : null, data: (body?.data ?? {}) as ReceivedMessage['data'], raw: body ?? {} };
    const fail = messages.failures.wechat;
    if (fail.left > 0) {
      fail.left--;
      messages.record({ ...base, answer: fail.network ? 'HTTP 502' : String(fail.wechatErrcode) });
      return fail.network ? c.body(null, 502) : err(c, fail.wechatErrcode ?? -1, fail.wechatErrcode === -1 ? 'system error' : `sandbox failure ${fail.wechatErrcode}`);
    }
    const token = c.req.query('access_token');
    const answer = ((): [number, string] => {
      if (!token) return [41001, 'access_token missing'];
      if (!tokens.has(token)) return [40001, 'invalid credential, access_token is invalid or not latest'];
      if (!body) return [47001, 'data format error'];
      if (typeof body.touser !== 'string' || body.touser === '') return [40003, 'invalid openid'];
      if (typeof body.template_id !== 'string' || !template_id_pattern.test(body.template_id)) return [40037, 'invalid template_id'];
      const bad = dataProblem(body.data, true);
      if (bad) return [47003, `argument invalid! ${bad} invalid`];
      if (!messages.spend('wechat', body.touser, body.template_id)) return [43101, 'user refuse to accept the msg'];
      return [0, 'ok'];
    })();
    messages.record({ ...base, answer: String(answer[0]) });
    return err(c, answer[0], answer[1]);
  });
  return app;
}

/** The gateway method: checks the shape Alipay documents, `data` as a JSON string included. */
export const templateMessageSend: AlipayMethod = ({ params, pay }) => {
  const messages = messagesOf(pay);
  let biz: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(params['biz_content'] ?? '') as unknown;
    if (typeof parsed === 'object' && parsed !== null) biz = parsed as Record<string, unknown>;
  } catch {
    biz = null;
  }
  const invalid = (what: string) => ({ in: 'method' as const, payload: { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-parameter', sub_msg: `参数无效：${what}` } });
  const user = String(biz?.to_user_id ?? biz?.to_open_id ?? '');
  const templateId = String(biz?.user_template_id ?? '');
  let data: unknown = undefined;
  if (typeof biz?.data === 'string') {
    try {
      data = JSON.parse(biz.data);
    } catch {
      data = undefined;
    }
  }
  const base = { platform: 'alipay' as const, at: new Date().toISOString(), user, templateId, page: typeof biz?.page === 'string' ? biz.page : null, data: (data ?? {}) as ReceivedMessage['data'], raw: biz ?? {} };
  const fail = messages.failures.alipay;
  if (fail.left > 0 && !fail.network) {
    fail.left--;
    const f = fail.alipay ?? { code: '20000', subCode: 'isp.unknow-error' };
    messages.record({ ...base, answer: `${f.code} ${f.subCode}` });
    return { in: 'method', payload: { code: f.code, msg: f.code === '20000' ? 'Service Currently Unavailable' : 'Business Failed', sub_code: f.subCode, sub_msg: 'sandbox failure' } };
  }
  const reply = ((): ReturnType<AlipayMethod> => {
    if (!biz) return invalid('biz_content');
    if (!/^2088\d{12}$/.test(String(biz.to_user_id ?? '')) && !(typeof biz.to_open_id === 'string' && biz.to_open_id !== '')) return invalid('to_user_id');
    if (!template_id_pattern.test(templateId)) return invalid('user_template_id');
    if (typeof biz.data !== 'string') return invalid('data 须为 JSON 字符串');
    const bad = dataProblem(data, false);
    if (bad) return invalid(bad);
    if (!messages.spend('alipay', user, templateId)) return { in: 'method', payload: { code: '40004', msg: 'Business Failed', sub_code: 'USER_NOT_SUBSCRIBE', sub_msg: '用户未订阅该模板' } };
    return { in: 'method', payload: { code: '10000', msg: 'Success' } };
  })();
  messages.record({ ...base, answer: `${String(reply.payload.code)}${reply.payload.sub_code ? ` ${String(reply.payload.sub_code)}` : ''}` });
  return reply;
};

export function messageControlRoutes(messages: SandboxMessages): Hono {
  const app = new Hono();
  app.post('/sandbox/messages/accept', bodyLimit({ maxSize: 4 * 1024 }), async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    if ((b.platform !== 'wechat' && b.platform !== 'alipay') || typeof b.user !== 'string' || typeof b.templateId !== 'string') return c.json({ error: 'platform, user and templateId are required' }, 400);
    const key = `${b.platform} ${b.user} ${b.templateId}`;
    messages.subscriptions.set(key, (messages.subscriptions.get(key) ?? 0) + 1);
    return c.json({ left: messages.subscriptions.get(key) });
  });
  app.post('/sandbox/messages/control', bodyLimit({ maxSize: 4 * 1024 }), async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    if (b.platform !== 'wechat' && b.platform !== 'alipay') return c.json({ error: 'platform must be wechat or alipay' }, 400);
    if (typeof b.failNext !== 'number' || !Number.isInteger(b.failNext) || b.failNext < 0) return c.json({ error: 'failNext must be a whole number ≥ 0' }, 400);
    messages.failures[b.platform] = {
      left: b.failNext,
      network: b.network === true,
      wechatErrcode: typeof b.errcode === 'number' ? b.errcode : -1,
      alipay: typeof b.code === 'string' ? { code: b.code, subCode: typeof b.subCode === 'string' ? b.subCode : '' } : null,
    };
    return c.json({ ok: true });
  });
  app.get('/sandbox/messages', (c) => {
    const platform = c.req.query('platform');
    const user = c.req.query('user');
    return c.json({ items: messages.received.filter((m) => (!platform || m.platform === platform) && (!user || m.user === user)) });
  });
  return app;
}
