import { openDatabase, type DatabaseHandle, type EmbeddedOpener } from '../_db/connect.js';
import { kvFromEnv, limiterFor, type RateLimiter } from '../_kv/index.js';
import type { Kv } from '../_kv/kv.js';
import { AppError } from '../_kernel/errors.js';
import { createAlipayLogin } from '../_platform/index.js';
import { createAlipayAppCall } from '../_platform/index.js';
import { createWechatLogin } from '../_platform/index.js';
import { readAlipayConfig, readWechatConfig } from '../_platform/index.js';
import { createAlipayPhone, createWechatPhone, readAlipayPhoneConfig } from '../_platform/index.js';
import { systemClock, type Clock } from '../_kernel/clock.js';
import { configFromEnv } from '../_kernel/config.js';
import type { Deps, LoginProviders } from '../_kernel/deps.js';
import { createLogger } from '../_kernel/log.js';
import type { PaymentChannels } from '../_payments/index.js';
import { deferredChannels } from './deferred-channels.js';

type Env = Record<string, string | undefined>;

/**
 * Each platform's client is made on first use, so a shop that takes only
 * WeChat needs no Alipay keys; a missing key is a 503 whose answer names no
 * variable (the log does).
 */
function lazyLogin(env: Env): LoginProviders {
  let wechat: ReturnType<typeof createWechatLogin> | undefined;
  let alipay: ReturnType<typeof createAlipayLogin> | undefined;
  let wechatPhone: ReturnType<typeof createWechatPhone> | undefined;
  let alipayPhone: ReturnType<typeof createAlipayPhone> | undefined;
  const configured = <T>(make: () => T, what: string, shown: string): T => {
    try {
      return make();
    } catch (e) {
      throw new AppError('unavailable', `${shown}暂不可用`, undefined, { detail: `${what} is not configured: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  return {
    wechat: {
      code2session: (code) => (wechat ??= configured(() => createWechatLogin(readWechatConfig(env)), 'WeChat login', '微信登录')).code2session(code),
      phoneNumber: (code, openId) => (wechatPhone ??= configured(() => createWechatPhone(readWechatConfig(env)), 'WeChat phone number', '微信手机号')).phoneNumber(code, openId),
    },
    alipay: {
      oauthToken: (code) => (alipay ??= configured(() => createAlipayLogin(readAlipayConfig(env)), 'Alipay login', '支付宝登录')).oauthToken(code),
      phoneNumber: (encrypted) => (alipayPhone ??= configured(() => createAlipayPhone(readAlipayPhoneConfig(env)), 'Alipay phone number', '支付宝手机号')).phoneNumber(encrypted),
    },
  };
}

/** Loaded with the payments module, on the first route that needs it (the route table has loaded that module by then). */
function lazyAlipayAppAuth(env: Env, clock: () => Date): Deps['alipayAppAuth'] {
  let made: ReturnType<Deps['alipayAppAuth']> | undefined;
  return () => (made ??= import('../_payments/index.js').then((m) => m.alipayAppAuthFromEnv(env, clock)));
}

/** Alipay's mini-program app for calls beyond login (member messages, #17), made on the first call like the login. */
function lazyAlipayAppCall(env: Env): Deps['alipayAppCall'] {
  let call: Deps['alipayAppCall'] | undefined;
  return async (method, bizContent, at) => {
    if (!call) {
      try {
        call = createAlipayAppCall({ ...readAlipayConfig(env), timeoutMs: alipay_app_call_timeout_ms });
      } catch (e) {
        throw new AppError('unavailable', '支付宝暂不可用', undefined, { detail: `Alipay app is not configured: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    return call(method, bizContent, at);
  };
}

/** A call to Alipay's gateway for the mini-program app gives up after this. */
export const alipay_app_call_timeout_ms = 5_000;

export interface BuiltDeps {
  deps: Deps;
  database: DatabaseHandle;
  close(): Promise<void>;
}

export interface DepsOverrides {
  clock?: Clock;
  kv?: Kv;
  limiter?: RateLimiter;
  login?: LoginProviders;
  payments?: PaymentChannels;
  /** The embedded database, for dev and tests; the production function has none (see EmbeddedOpener). */
  embedded?: EmbeddedOpener;
  /**
   * Leave the query builder and the payments module unloaded until the
   * route table loads (the function's cold start: a health check needs
   * neither). Without it buildDeps loads both before returning, so dev,
   * tools and tests may call any service at once.
   */
  deferLoading?: boolean;
}

export async function buildDeps(env: Env, overrides: DepsOverrides = {}): Promise<BuiltDeps> {
  const config = configFromEnv(env);
  const payments = overrides.payments ?? deferredChannels(() => import('../_payments/index.js').then((m) => m.channelsFromEnv(env)));
  const database = await openDatabase(config.databaseUrl, config.databaseDriver, overrides.embedded);
  const ready = async () => {
    await Promise.all([database.ready(), payments.ready?.()]);
  };
  if (!overrides.deferLoading) await ready();
  const kv = overrides.kv ?? kvFromEnv(env);
  const clock = overrides.clock ?? systemClock;
  const deps: Deps = {
    // A getter: with deferLoading the query builder arrives after the dependencies are made.
    get db() {
      return database.db;
    },
    ready,
    prepared: database.prepared,
    dbDriver: database.driver,
    dbSession: database.session,
    kv,
    limiter: overrides.limiter ?? limiterFor(kv, () => clock().getTime()),
    config,
    login: overrides.login ?? lazyLogin(env),
    payments,
    alipayAppAuth: lazyAlipayAppAuth(env, () => clock()),
    alipayAppCall: lazyAlipayAppCall(env),
    clock,
    log: createLogger(config.logLevel),
  };
  return { deps, database, close: () => database.close() };
}
