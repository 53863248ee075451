import { errorBody } from './shop-schemas';
import type { ErrorCode } from '../../shared/api/error-codes';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * What a failed call is called: one of the API's own codes, or what the
 * client concluded when there was no usable answer (no network, a body it
 * could not read, a status without our error body). A code this build does
 * not know yet (a newer server) is kept as it came, hence the open string.
 */
export type ApiErrorCode = ErrorCode | 'network' | 'bad_response' | `http_${number}` | (string & {});

/** A failed API call: the HTTP status (0 for no answer), the server's code and a message fit to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const fallbackMessages: Readonly<Record<number, string>> = {
  0: '网络不可用，请稍后再试',
  401: '登录已过期，请重新登录',
  403: '没有权限',
  404: '没有找到',
  429: '操作太频繁，请稍后再试',
};

/** Reads `{error:{code,message,fields?}}`; anything else becomes a generic error for the status. */
export function parseErrorResponse(status: number, data: unknown): ApiError {
  const body = typeof data === 'string' ? tryJson(data) : data;
  const parsed = errorBody.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiError(status, code, message || fallbackFor(status), fields ?? []);
  }
  return new ApiError(status, status === 0 ? 'network' : `http_${status}`, fallbackFor(status));
}

export function networkError(): ApiError {
  return new ApiError(0, 'network', fallbackFor(0));
}

export function badResponseError(status: number): ApiError {
  return new ApiError(status, 'bad_response', '服务器返回的数据无法识别');
}

function fallbackFor(status: number): string {
  return fallbackMessages[status] ?? (status >= 500 ? '服务器忙，请稍后再试' : `请求失败（${status}）`);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
