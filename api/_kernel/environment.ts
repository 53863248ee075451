/**
 * Which deployment this process serves, and the rules a deployed one must
 * meet before it answers a single request. Vercel names its environments in
 * `VERCEL_ENV`: `production`, `preview` (every branch and pull request) and
 * `development` (`vercel dev`). Outside Vercel, `NODE_ENV=production` means a
 * production server; anything else is a developer's or a test's machine.
 */
export type DeploymentEnvironment = 'production' | 'preview' | 'development' | 'local';

type Env = Record<string, string | undefined>;

export const cron_secret_length_min = 32;
export const session_secret_length_min = 32;

/** The live platform hosts: a preview must never reach them with payment keys, since it would take real money. */
export const live_payment_hosts = ['api.mch.weixin.qq.com', 'openapi.alipay.com'] as const;

export function deploymentEnvironment(env: Env): DeploymentEnvironment {
  const vercel = env.VERCEL_ENV;
  if (vercel === 'production' || vercel === 'preview' || vercel === 'development') return vercel;
  if (env.NODE_ENV === 'production') return 'production';
  return 'local';
}

/** Production and previews serve real requests from the internet: both get the strict rules. */
export function isDeployed(environment: DeploymentEnvironment): boolean {
  return environment === 'production' || environment === 'preview';
}

/** A loopback address can only be a stand-in on the same machine (the deploy check's sandbox), never a misconfigured live host. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.');
}

function hostOf(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** The hosts that hold keys or money must be https; plain http is allowed only on loopback. */
const https_variables = ['PUBLIC_BASE_URL', 'UPSTASH_REDIS_REST_URL', 'WECHAT_API_BASE', 'WECHATPAY_API_BASE', 'ALIPAY_GATEWAY', 'QSTASH_URL'] as const;
/** The lengths an AES key may have (AES-128 or AES-256), as Alipay's content encryption uses them. */
const alipay_aes_key_bytes: readonly number[] = [16, 32];
/** The queue's credentials go together: a token without both signing keys could enqueue messages nobody may verify. */
const qstash_credentials = ['QSTASH_TOKEN', 'QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'] as const;

/**
 * Every reason this environment may not serve, in one list, so a person
 * fixing a deployment sees all of them at once. Empty means fine.
 */
export function deployedEnvProblems(env: Env, environment: DeploymentEnvironment): string[] {
  if (!isDeployed(environment)) return [];
  const problems: string[] = [];
  const database = env.DATABASE_URL?.trim();
  if (!database) problems.push('DATABASE_URL is not set: a deployment needs its own Postgres (Neon), never the embedded one');
  else if (database.startsWith('pglite:')) problems.push('DATABASE_URL names the embedded PGlite database, which a deployment does not carry');
  if ((env.CRON_SECRET ?? '').length < cron_secret_length_min) problems.push(`CRON_SECRET must be at least ${cron_secret_length_min} characters: it guards the scheduled jobs`);
  if ((env.SESSION_SECRET ?? '').length < session_secret_length_min) problems.push(`SESSION_SECRET must be at least ${session_secret_length_min} characters: it signs session tokens`);
  if (!env.PUBLIC_BASE_URL?.trim() && !defaultPublicBaseUrl(env, environment)) {
    problems.push('PUBLIC_BASE_URL must be set (or VERCEL_PROJECT_PRODUCTION_URL / VERCEL_URL): payment platforms send notifications there');
  }
  if (!env.UPSTASH_REDIS_REST_URL?.trim() || !env.UPSTASH_REDIS_REST_TOKEN?.trim()) {
    problems.push('UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set: each function instance would otherwise keep its own counters');
  }
  const queueGiven = qstash_credentials.filter((name) => env[name]?.trim());
  if (queueGiven.length > 0 && queueGiven.length < qstash_credentials.length) {
    problems.push(`${qstash_credentials.filter((n) => !queueGiven.includes(n)).join(', ')} must be set with ${queueGiven.join(', ')}: the job queue needs its token and both signing keys`);
  }
  // A service provider's deployment keeps each merchant's Alipay token sealed under this key (#18, api/_kernel/secret-box.ts).
  if (env.ALIPAY_MODE?.trim().toLowerCase() === 'isv' && !env.GUITAI_SECRET_KEY?.trim()) {
    problems.push('GUITAI_SECRET_KEY must be set when ALIPAY_MODE=isv: it seals the merchants\' Alipay authorisation tokens');
  }
  // ALIPAY_AES_KEY is optional, as the Alipay app is: without it Alipay's phone binding answers 503 (api/_app/build-deps.ts).
  // One that is set but cannot be an AES key would fail only at a member's first binding, so it is refused here instead.
  const alipayAesKey = env.ALIPAY_AES_KEY?.trim();
  if (alipayAesKey && !(/^[A-Za-z0-9+/]+={0,2}$/.test(alipayAesKey) && alipay_aes_key_bytes.includes(Buffer.from(alipayAesKey, 'base64').length))) {
    problems.push('ALIPAY_AES_KEY must be the Base64 of a 16- or 32-byte AES key (the mini-program console\'s 接口内容加密 key): Alipay phone binding decrypts with it');
  }
  for (const name of https_variables) {
    const value = env[name]?.trim();
    if (!value) continue;
    const url = hostOf(value);
    if (!url) problems.push(`${name} is not a URL`);
    else if (url.protocol !== 'https:' && !isLoopback(url.hostname)) problems.push(`${name} must be an https address`);
  }
  if (environment === 'preview') problems.push(...previewProblems(env));
  return problems;
}

/**
 * A preview is someone's branch: it must not tell the platforms to notify
 * production, and must not pay with live keys. Its payment settings point at
 * a sandbox (Alipay's own, or Guitai's deployed sandbox), or are left out.
 */
function previewProblems(env: Env): string[] {
  const problems: string[] = [];
  const production = env.VERCEL_PROJECT_PRODUCTION_URL?.trim().toLowerCase();
  const base = env.PUBLIC_BASE_URL?.trim() ? hostOf(env.PUBLIC_BASE_URL.trim()) : undefined;
  if (production && base && base.host.toLowerCase() === production) {
    problems.push('PUBLIC_BASE_URL is the production address: a preview would have payment notifications sent to production');
  }
  const wechatPayHost = hostOf(env.WECHATPAY_API_BASE?.trim() || 'https://api.mch.weixin.qq.com')?.hostname;
  if (env.WECHATPAY_MCHID?.trim() && wechatPayHost && (live_payment_hosts as readonly string[]).includes(wechatPayHost)) {
    problems.push('WECHATPAY_MCHID is set with the live WeChat Pay host: a preview must use a sandbox (WECHATPAY_API_BASE) or no payment keys');
  }
  const alipayHost = hostOf(env.ALIPAY_GATEWAY?.trim() || 'https://openapi.alipay.com/gateway.do')?.hostname;
  if (env.ALIPAY_SELLER_ID?.trim() && alipayHost && (live_payment_hosts as readonly string[]).includes(alipayHost)) {
    problems.push('ALIPAY_SELLER_ID is set with the live Alipay gateway: a preview must use a sandbox gateway (ALIPAY_GATEWAY) or no payment keys');
  }
  return problems;
}

/**
 * Where the platforms send this deployment's notifications. Production may
 * fall back to its project's production address; a preview falls back to its
 * own branch address, never to production's.
 */
export function defaultPublicBaseUrl(env: Env, environment: DeploymentEnvironment): string | undefined {
  if (environment === 'preview') {
    const own = env.VERCEL_BRANCH_URL?.trim() || env.VERCEL_URL?.trim();
    return own ? `https://${own}` : undefined;
  }
  const production = env.VERCEL_PROJECT_PRODUCTION_URL?.trim();
  return production ? `https://${production}` : undefined;
}
