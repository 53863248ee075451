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
