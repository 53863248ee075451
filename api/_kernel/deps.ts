import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { DatabaseHandle, DbDriver } from '../_db/connect.js';
import type { Kv } from '../_kv/kv.js';
import type { RateLimiter } from '../_kv/limiter.js';
import type { AppConfig } from './config.js';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import type { AlipayAppAuth, PaymentChannels } from '../_payments/index.js';

/** What a WeChat or Alipay login code turns into: the platform's user id in our app. */
export interface LoginProviders {
  wechat: {
    code2session(code: string): Promise<{ openId: string; unionId?: string }>;
    /** The phone behind a `getPhoneNumber` button's one-time code (#17). */
    phoneNumber(code: string, openId?: string): Promise<{ phone: string; countryCode: string }>;
  };
  alipay: {
    oauthToken(code: string): Promise<{ userId: string; openId?: string }>;
    /** The phone in `my.getPhoneNumber`'s signed, encrypted answer (#17). */
    phoneNumber(encrypted: string): Promise<{ phone: string }>;
  };
}

/**
 * A gateway call signed by the Alipay mini-program's own app, beyond login
 * (member messages, #17). `answer` is verified; `network` is no usable answer.
 */
export type AlipayAppAnswer = { kind: 'answer'; code: string; subCode: string | null; message: string; body: Record<string, unknown> } | { kind: 'network'; message: string };
export type AlipayAppCall = (method: string, bizContent: Record<string, unknown>, at: Date) => Promise<AlipayAppAnswer>;

/** Everything a request handler may use, built once per process. */
export interface Deps {
  db: Kysely<DB>;
  /** Named, per-connection prepared statements for the hottest reads (see DatabaseHandle.prepared). */
  prepared: DatabaseHandle['prepared'];
  dbDriver: DbDriver;
  /** A held connection that can COPY (pg and Neon); absent on PGlite. */
  dbSession?: DatabaseHandle['session'];
  kv: Kv;
  /** Rate limits on the same backend as `kv` (see api/_kv/limiter.ts). */
  limiter: RateLimiter;
  config: AppConfig;
  login: LoginProviders;
  /** WeChat Pay and Alipay, each made on first use from its settings. */
  payments: PaymentChannels;
  /** Alipay's authorisation of the provider's app (ALIPAY_MODE=isv, #18): its settings and token call, read on first use. */
  alipayAppAuth(): Promise<AlipayAppAuth>;
  /** The Alipay mini-program app's signed gateway calls (member messages, #17): made on first use, a 503 when Alipay is not configured. */
  alipayAppCall: AlipayAppCall;
  clock: Clock;
  log: Logger;
  /** Resolves once everything a cold start left unloaded (the query builder, the payment channels) is loaded; routes run only after it. */
  ready(): Promise<void>;
}
