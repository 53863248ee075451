/**
 * What the WeChat or Alipay client app does for the mini-program at login:
 * ask the sandbox for a one-time code bound to a user. For tests and dev
 * tools that play the mini-program.
 */
export type LoginCodeRequest =
  | { platform: 'wechat'; appId: string; userId: string; unionId?: string }
  | { platform: 'alipay'; appId: string; userId: string };

export async function issueLoginCode(sandboxUrl: string, request: LoginCodeRequest): Promise<string> {
  const response = await fetch(`${sandboxUrl.replace(/\/+$/, '')}/sandbox/codes`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { code?: string; error?: string };
  if (response.status !== 201 || typeof body.code !== 'string') {
    throw new Error(`sandbox refused a login code (HTTP ${response.status}): ${body.error ?? 'no reason given'}`);
  }
  return body.code;
}
