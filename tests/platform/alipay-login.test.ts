import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import type { ErrorCode } from '../../api/_kernel/errors';
import { createAlipayLogin, type AlipayLoginOptions } from '../../api/_platform/alipay-login';
import { readAlipayConfig } from '../../api/_platform/config';
import { issueLoginCode } from '../../tools/sandbox/client';
import { sandboxEnv } from '../../tools/sandbox/env';

const ctx = useSandbox();

function login(overrides: Partial<AlipayLoginOptions> = {}) {
  return createAlipayLogin({ ...readAlipayConfig(sandboxEnv(ctx.keys, ctx.sandbox.url)), ...overrides });
}

function strangerKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

async function failure(promise: Promise<unknown>): Promise<{ code: ErrorCode | 'resolved' | 'not an AppError'; message: string }> {
  try {
    await promise;
    return { code: 'resolved', message: '' };
  } catch (e) {
    if (e instanceof Error && e.name === 'AppError') return { code: (e as Error & { code: ErrorCode }).code, message: e.message };
    return { code: 'not an AppError', message: String(e) };
  }
}

const issue = (userId: string) => issueLoginCode(ctx.sandbox.url, { platform: 'alipay', appId: ctx.keys.alipay.appId, userId });

describe('createAlipayLogin against the sandbox, through alipay-sdk', () => {
  it('turns an issued auth code into the user id and a per-app open id', async () => {
    const first = await login().oauthToken(await issue('2088000000000001'));
    expect(first.userId).toBe('2088000000000001');
    expect(first.openId).toMatch(/^0\w+$/);
    const again = await login().oauthToken(await issue('2088000000000001'));
    expect(again).toEqual(first);
  });

  it('reports a reused or unknown code as invalid_code', async () => {
    const code = await issue('2088000000000002');
    await login().oauthToken(code);
    expect(await failure(login().oauthToken(code))).toMatchObject({ code: 'invalid_code' });
    expect(await failure(login().oauthToken('0123456789abcdef'))).toMatchObject({ code: 'invalid_code' });
  });

  it('rejects a success response signed by a key other than the Alipay platform key', async () => {
    const code = await issue('2088000000000003');
    const result = await failure(login({ alipayPublicKey: strangerKeyPair().publicPem }).oauthToken(code));
    expect(result.code).toBe('platform_error');
    // The sandbox did answer with the user: only the signature check stood in the way.
    expect(await failure(login().oauthToken(code))).toMatchObject({ code: 'invalid_code' });
  });

  it('does not believe an error response signed by another key either', async () => {
    const result = await failure(login({ alipayPublicKey: strangerKeyPair().publicPem }).oauthToken('0123456789abcdef'));
    expect(result.code).toBe('platform_error');
  });

  it('is refused by the sandbox when it signs with a key other than the app key', async () => {
    const result = await failure(login({ appPrivateKey: strangerKeyPair().privatePem }).oauthToken(await issue('2088000000000004')));
    expect(result).toMatchObject({ code: 'platform_error' });
    expect(result.message).toContain('isv.invalid-signature');
  });

  it('reports an unreachable gateway as platform_error', async () => {
    expect(await failure(login({ gateway: 'http://127.0.0.1:9/gateway.do' }).oauthToken(await issue('2088000000000005')))).toMatchObject({ code: 'platform_error' });
  });

  it('works with ctx.keys given as bare base64, as the Alipay console shows them', async () => {
    const bare = (pem: string) => pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
    const env = sandboxEnv(ctx.keys, ctx.sandbox.url);
    const config = readAlipayConfig({ ...env, ALIPAY_APP_PRIVATE_KEY: bare(ctx.keys.alipay.appPrivateKey), ALIPAY_PUBLIC_KEY: bare(ctx.keys.alipay.alipayPublicKey) });
    expect(await createAlipayLogin(config).oauthToken(await issue('2088000000000006'))).toMatchObject({ userId: '2088000000000006' });
  });
});
