import Taro from '@tarojs/taro';
import type { z } from 'zod';
import { safeParse } from 'zod/mini';
import type { RouteDef } from '../../shared/api/route-def';
import { ApiError, badResponseError, networkError, parseErrorResponse } from './errors';
import { backoffMs, shouldRetry, type Failure } from './retry';
import { sessionKindsFor } from './route-auth';
import { clearSession, getSession } from './session';
import type { SessionKind } from './session-codec';
import { buildUrl, type PathParams, type QueryValue } from './url';

/**
 * A route as the request layer needs it. Its schemas may be zod's classic
 * ones (shared/api) or zod/mini ones (src/services/shop-schemas.ts); the
 * request layer only parses with them.
 */
export type ClientRoute = Pick<RouteDef, 'method' | 'path' | 'auth'> & { body?: z.core.$ZodType; response: z.core.$ZodType };
/** A table of routes by name, as `shared/api/routes.ts` and `shop-routes.ts` define them. */
export type RouteTable = Readonly<Record<string, ClientRoute>>;
type Response<T extends RouteTable, N extends keyof T> = z.output<T[N]['response']>;
type Body<T extends RouteTable, N extends keyof T> = T[N] extends { body: infer B extends z.core.$ZodType } ? z.input<B> : never;
type Params<T extends RouteTable, N extends keyof T> = Record<PathParams<T[N]['path']>, string>;

export interface CallOptions<T extends RouteTable, N extends keyof T> {
  params?: Params<T, N>;
  query?: Readonly<Record<string, QueryValue>>;
  body?: Body<T, N>;
  /** Leave the error to the caller instead of showing a toast (e.g. sign-in handles `not_bound`). */
  quiet?: boolean;
  /** Which stored session to send when the route takes more than one (`session` routes prefer staff): 我的 asks as the shopper. */
  as?: SessionKind;
}

export const request_timeout_ms = 15_000;
export const sign_in_page = '/pages/sign-in/index';

/**
 * Makes the one way the client talks to the API, for the routes of `table`:
 * the call fills the route's path, sends the stored session's token, retries
 * what may succeed on a second try, validates the answer with the route's
 * schema and turns every failure into an ApiError. The table is a parameter
 * so that the mini-program's main package can hold the shop's routes alone
 * (`shop-api.ts`) while the counter and boss pages use them all (`api.ts`).
 */
export function callerFor<T extends RouteTable>(table: T) {
  return async function call<N extends keyof T & string>(name: N, options: CallOptions<T, N> = {}): Promise<Response<T, N>> {
    // `name` is a key of `table` by its type, so the route is there.
    const route = table[name] as ClientRoute;
    const kind = options.as ?? sessionKindsFor(route.auth).find((k) => getSession(k) !== null);
    try {
      const data = await send(route, options, kind);
      const parsed = safeParse(route.response, data.body);
      if (!parsed.success) throw badResponseError(data.status);
      return parsed.data as Response<T, N>;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : networkError();
      if (apiError.status === 401 && route.auth !== 'public') onUnauthorized(kind ?? sessionKindsFor(route.auth)[0] ?? 'staff');
      if (!options.quiet) showError(apiError);
      throw apiError;
    }
  };
}

async function send(
  route: ClientRoute,
  options: { params?: Readonly<Record<string, string>>; query?: Readonly<Record<string, QueryValue>>; body?: unknown },
  kind: SessionKind | undefined,
): Promise<{ status: number; body: unknown }> {
  const url = buildUrl(process.env.TARO_APP_API_BASE ?? '', route.path, options.params, options.query);
  const header: Record<string, string> = { accept: 'application/json' };
  const token = kind ? getSession(kind)?.token : undefined;
  if (token) header.authorization = `Bearer ${token}`;
  if (options.body !== undefined) header['content-type'] = 'application/json';

  for (let attempt = 1; ; attempt++) {
    let failure: Failure;
    let lastError: ApiError;
    try {
      const res = await Taro.request({
        url,
        method: route.method,
        header,
        data: options.body as Record<string, unknown> | undefined,
        dataType: 'json',
        timeout: request_timeout_ms,
      });
      if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, body: res.data };
      failure = { kind: 'http', status: res.statusCode };
      lastError = parseErrorResponse(res.statusCode, res.data);
    } catch {
      failure = { kind: 'network' };
      lastError = networkError();
    }
    if (!shouldRetry(failure, route.method, attempt)) throw lastError;
    await sleep(backoffMs(attempt));
  }
}

function onUnauthorized(kind: SessionKind): void {
  clearSession(kind);
  // A shopper signs in again silently on the next call; staff go to the sign-in screen.
  if (kind === 'shopper') return;
  const pages = Taro.getCurrentPages();
  const here = pages[pages.length - 1];
  const path = here?.route ? `/${here.route.replace(/^\//, '')}` : '';
  if (path === sign_in_page) return;
  void Taro.redirectTo({ url: `${sign_in_page}?redirect=${encodeURIComponent(path)}` });
}

export function showError(error: unknown): void {
  const message = error instanceof Error && error.message ? error.message : '出了点问题，请重试';
  void Taro.showToast({ title: message, icon: 'none', duration: 2500 });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
