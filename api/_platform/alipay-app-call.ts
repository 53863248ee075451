import type { AlipaySdk } from 'alipay-sdk';
import { alipaySdk, requestErrorBody, verifiedErrorResponse } from './alipay-sdk.js';
import { beijingTimestamp } from './alipay-time.js';
import { privateKeyPem, publicKeyPem } from './pem.js';
import type { AlipayLoginOptions } from './alipay-login.js';
import type { AlipayAppAnswer as AlipayCallAnswer, AlipayAppCall } from '../_kernel/deps.js';

/**
 * One gateway call signed by the mini-program's own app (the keys login
 * uses), for server calls beyond login such as
 * `alipay.open.app.mini.templatemessage.send`. The answer's signature is
 * checked (an `error_response` too, by the SDK's own routine) before any of
 * it is believed; no verified answer is `network`, which callers treat as
 * temporary.
 */

export type { AlipayAppAnswer as AlipayCallAnswer, AlipayAppCall } from '../_kernel/deps.js';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function answerOf(record: Record<string, unknown>): AlipayCallAnswer {
  const code = text(record['code']) ?? '10000';
  const subCode = text(record['sub_code']) ?? null;
  return { kind: 'answer', code, subCode, message: text(record['sub_msg']) ?? text(record['msg']) ?? '', body: record };
}

export function createAlipayAppCall(options: AlipayLoginOptions & { timeoutMs: number }): AlipayAppCall {
  const client = alipaySdk({
    gateway: options.gateway,
    appId: options.appId,
    appPrivateKey: privateKeyPem(options.appPrivateKey),
    alipayPublicKey: publicKeyPem(options.alipayPublicKey),
    timeoutMs: options.timeoutMs,
    camelcase: false,
  });
  return async (method, bizContent, at) => {
    let sdk: AlipaySdk | undefined;
    try {
      sdk = await client();
      const result: unknown = await sdk.exec(method, { bizContent, timestamp: beijingTimestamp(at) }, { validateSign: true });
      if (typeof result !== 'object' || result === null) return { kind: 'network', message: `${method} answered without a response object` };
      return answerOf(result as Record<string, unknown>);
    } catch (e) {
      const raw = sdk ? await requestErrorBody(e) : undefined;
      const record = sdk && raw ? verifiedErrorResponse(sdk, raw) : undefined;
      if (record) return answerOf(record);
      return { kind: 'network', message: `${method} failed or its answer failed verification: ${e instanceof Error ? e.message.slice(0, 200) : 'unknown'}` };
    }
  };
}
