// The H5 build only: the local payment sandbox stands in for the WeChat app and
// issues login codes for a chosen user. The mini-program builds never import this.

/** Demo users seeded with the demo store; the H5 sign-in screen offers them. */
export const sandboxStaffUsers = [
  { userId: 'o_demo_owner', label: '店主' },
  { userId: 'o_demo_manager', label: '店长' },
  { userId: 'o_demo_assistant_1', label: '店员小王' },
  { userId: 'o_demo_assistant_2', label: '店员小李' },
] as const;

export const sandbox_default_shopper = 'o_demo_member_1';

/**
 * The WeChat user holding the phone as a shopper: the demo member, unless a
 * tester (or a browser test) plays someone new by setting localStorage
 * `guitai.sandbox.shopper` — a person who has never used Guitai, say, and opens a shop.
 */
export function sandboxShopper(): string {
  try {
    return globalThis.localStorage?.getItem('guitai.sandbox.shopper') || sandbox_default_shopper;
  } catch {
    return sandbox_default_shopper;
  }
}

interface SandboxApps {
  wechat: { appId: string };
  alipay: { appId: string };
}

let apps: Promise<SandboxApps> | null = null;

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`支付沙箱无响应（${response.status}）`);
  return (await response.json()) as T;
}

export async function sandboxLoginCode(userId: string): Promise<string> {
  const base = process.env.TARO_APP_SANDBOX.replace(/\/+$/, '');
  apps ??= fetch(`${base}/apps`).then((r) => json<SandboxApps>(r));
  let appId: string;
  try {
    appId = (await apps).wechat.appId;
  } catch (error) {
    apps = null;
    throw error;
  }
  const response = await fetch(`${base}/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ platform: 'wechat', appId, userId }),
  });
  return (await json<{ code: string }>(response)).code;
}

function sandboxBase(): string {
  return process.env.TARO_APP_SANDBOX.replace(/\/+$/, '');
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${sandboxBase()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return json<T>(response);
}

export type SandboxPayChannel = 'wechat' | 'alipay';
export type PaycodeBehaviour = 'success' | 'userpaying' | 'insufficient' | 'invalid';

/** What a sandbox customer's 付款码 will do when the counter charges it. */
export const paycodeBehaviours: ReadonlyArray<{ behaviour: PaycodeBehaviour; label: string }> = [
  { behaviour: 'success', label: '直接成功' },
  { behaviour: 'userpaying', label: '需输入密码' },
  { behaviour: 'insufficient', label: '余额不足' },
  { behaviour: 'invalid', label: '码已失效' },
];

const userpaying_queries = 4;

/** A sandbox customer's payment code, as the counter's scanner would read it off their phone. */
export async function sandboxPaycode(channel: SandboxPayChannel, behaviour: PaycodeBehaviour): Promise<string> {
  // A password the customer takes a few polls to enter, so the waiting screen can be seen.
  return (await post<{ code: string }>('/paycodes', { channel, behaviour, ...(behaviour === 'userpaying' ? { afterQueries: userpaying_queries } : {}) })).code;
}

/** The sandbox customer scans the QR the counter shows and pays it. */
export async function sandboxPayQr(channel: SandboxPayChannel, codeUrl: string): Promise<void> {
  await post(channel === 'wechat' ? '/wechat/pay' : '/alipay/pay', channel === 'wechat' ? { codeUrl } : { qrCode: codeUrl });
}

/** The shopper confirms a mini-program payment, as the WeChat or Alipay app would. */
export async function sandboxPayJsapi(jsapi: { channel: 'wechat'; package: string } | { channel: 'alipay'; tradeNO: string }): Promise<void> {
  if (jsapi.channel === 'wechat') {
    const prepayId = jsapi.package.replace(/^prepay_id=/, '');
    await post('/wechat/pay', { prepayId });
  } else await post('/alipay/pay', { tradeNo: jsapi.tradeNO });
}

/** A sandbox Alipay shopper id (2088 and 12 digits), for signing the H5 shopper in as an Alipay user. */
export const sandbox_alipay_shopper = '2088000000009001';

/** A login code for the shopper on the chosen platform. */
export async function sandboxShopperCode(platform: SandboxPayChannel): Promise<string> {
  if (platform === 'wechat') return sandboxLoginCode(sandboxShopper());
  apps ??= fetch(`${sandboxBase()}/apps`).then((r) => json<SandboxApps>(r));
  const appId = (await apps).alipay.appId;
  return (await post<{ code: string }>('/codes', { platform: 'alipay', appId, userId: sandbox_alipay_shopper })).code;
}

/**
 * What the WeChat app hands the page when the sandbox shopper agrees to share
 * their phone (#17): a one-time code. The phone is the tester's choice in
 * localStorage `guitai.sandbox.phone` (a browser test binds a counter
 * member's phone so), else the sandbox picks the shopper's own test phone.
 */
export async function sandboxPhoneCode(): Promise<string> {
  apps ??= fetch(`${sandboxBase()}/apps`).then((r) => json<SandboxApps>(r));
  const appId = (await apps).wechat.appId;
  let phone: string | null;
  try {
    phone = globalThis.localStorage?.getItem('guitai.sandbox.phone') ?? null;
  } catch {
    phone = null;
  }
  return (await post<{ code: string }>('/phone', { platform: 'wechat', appId, userId: sandboxShopper(), ...(phone ? { phone } : {}) })).code;
}
