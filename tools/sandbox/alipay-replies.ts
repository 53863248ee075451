import type { AlipayReply, AlipayRequest } from './alipay-gateway';

/**
 * How the sandbox's Alipay methods read a request and answer it, in the real
 * gateway's shape: `10000` success, `40004` business failure with an `ACQ.*`
 * sub code.
 */

export type Biz = Record<string, unknown>;

export const alipay_amount_pattern = /^\d{1,9}(?:\.\d{1,2})?$/;
export const user_id_pattern = /^2088\d{12}$/;

export function ok(payload: Record<string, unknown>): AlipayReply {
  return { in: 'method', payload: { code: '10000', msg: 'Success', ...payload } };
}

export function failed(subCode: string, subMsg: string, extra: Record<string, unknown> = {}): AlipayReply {
  return { in: 'method', payload: { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg, ...extra } };
}

export function invalid(subMsg: string): AlipayReply {
  return failed('ACQ.INVALID_PARAMETER', `参数无效: ${subMsg}`);
}

/** The request's `biz_content` as an object, or undefined when it is not one. */
export function bizOf(request: AlipayRequest): Biz | undefined {
  try {
    const parsed: unknown = JSON.parse(request.params['biz_content'] ?? '');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Biz) : undefined;
  } catch {
    return undefined;
  }
}

/** A non-empty string field of `biz_content`. */
export function str(biz: Biz, name: string): string | undefined {
  const value = biz[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
