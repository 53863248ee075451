import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import type { ErrorCode } from '../../api/_kernel/errors';
import { readWechatConfig } from '../../api/_platform/config';
import { createWechatLogin } from '../../api/_platform/wechat-login';
import { issueLoginCode } from '../../tools/sandbox/client';
import { sandboxEnv } from '../../tools/sandbox/env';

const ctx = useSandbox();

function login(overrides: { apiBase?: string; appId?: string; appSecret?: string; timeoutMs?: number } = {}) {
  return createWechatLogin({ ...readWechatConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), ...overrides });
}

async function failureCode(promise: Promise<unknown>): Promise<ErrorCode | 'resolved' | 'not an AppError'> {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return e instanceof Error && e.name === 'AppError' ? (e as Error & { code: ErrorCode }).code : 'not an AppError';
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('createWechatLogin against the sandbox', () => {
  const issue = (userId: string, unionId?: string) =>
    issueLoginCode(ctx.sandbox.url, { platform: 'wechat', appId: ctx.keys.wechat.appId, userId, ...(unionId ? { unionId } : {}) });

  it('turns an issued code into the openid, with the unionid when there is one', async () => {
    expect(await login().code2session(await issue('oUserA'))).toEqual({ openId: 'oUserA' });
    expect(await login().code2session(await issue('oUserB', 'oUnionB'))).toEqual({ openId: 'oUserB', unionId: 'oUnionB' });
  });

  it('reports a reused, unknown or empty code as invalid_code', async () => {
    const code = await issue('oUserC');
    await login().code2session(code);
    expect(await failureCode(login().code2session(code))).toBe('invalid_code');
    expect(await failureCode(login().code2session('not-a-code'))).toBe('invalid_code');
    expect(await failureCode(login().code2session(''))).toBe('invalid_code');
  });

  it('reports a wrong secret or appid as platform_error, without the secret in the message', async () => {
    const wrongSecret = login({ appSecret: 'a'.repeat(32) });
    const error = await wrongSecret.code2session(await issue('oUserD')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AppError', code: 'platform_error', status: 502 });
    expect(String((error as Error).message)).toContain('40125');
    expect(String((error as Error).message)).not.toContain('a'.repeat(32));
    expect(await failureCode(login({ appId: 'wx0000000000000000' }).code2session(await issue('oUserE')))).toBe('platform_error');
  });

  it('reports an unreachable host and a non-2xx answer as platform_error', async () => {
    const port = await closedPort();
    expect(await failureCode(login({ apiBase: `http://127.0.0.1:${port}` }).code2session(await issue('oUserF')))).toBe('platform_error');
    expect(await failureCode(login({ apiBase: `${ctx.sandbox.url}/no-such-prefix` }).code2session(await issue('oUserG')))).toBe('platform_error');
  });

  it('gives up on a host that accepts the connection but never answers, as platform_error', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const started = Date.now();
      const error = await login({ apiBase: `http://127.0.0.1:${address.port}`, timeoutMs: 200 }).code2session(await issue('oUserH')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'platform_error', message: expect.stringContaining('timed out') });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
