import { randomBytes } from 'node:crypto';
import { defaultPublicBaseUrl, deployedEnvProblems, deploymentEnvironment, isDeployed, session_secret_length_min, type DeploymentEnvironment } from './environment.js';

export { session_secret_length_min };

/** Everything the API reads from its environment, read once and checked. */
export interface AppConfig {
  /** Vercel's production or preview, or a server with NODE_ENV=production: the strict rules apply. */
  production: boolean;
  environment: DeploymentEnvironment;
  databaseUrl: string | undefined;
  databaseDriver: string | undefined;
  sessionSecret: Uint8Array;
  staffSessionTtlSeconds: number;
  memberSessionTtlSeconds: number;
  cronSecret: string | undefined;
  corsOrigins: string[];
  /** This deployment's public address, where platforms send notifications (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * The mini-program's server API (access token, shipping information):
   * WECHAT_API_BASE, WECHAT_APPID, WECHAT_APP_SECRET, the same variables the
   * login reads. Absent id or secret means shipping uploads are not made.
   */
  wechatApp: { apiBase: string; appId: string | undefined; appSecret: string | undefined };
  /**
   * The token of the mini-program's message push (消息推送, WECHAT_MESSAGE_TOKEN),
   * which signs every push. A developer's machine gets a fixed default; a
   * deployment without it refuses every push.
   */
  wechatMessageToken: string | undefined;
  /**
   * Upstash QStash (QSTASH_URL, QSTASH_TOKEN, QSTASH_CURRENT_SIGNING_KEY,
   * QSTASH_NEXT_SIGNING_KEY). Set, the crons enqueue one message per merchant
   * and `/api/jobs/:job` does each merchant's share; absent, the crons do the
   * work in place, merchant by merchant, which is enough for a single shop.
   * The token and both signing keys go together (Receiver needs both keys).
   */
  queue: QueueConfig | null;
  /**
   * Where product photos are kept: Vercel Blob when BLOB_READ_WRITE_TOKEN is
   * set; on a developer's or a test's machine the disk under PHOTOS_DIR
   * (default .data/photos); a deployment without the token keeps none, since
   * a Vercel function's disk does not outlive the request.
   */
  photos: PhotoStoreConfig;
}

export type PhotoStoreConfig = { kind: 'blob'; token: string } | { kind: 'disk'; dir: string } | { kind: 'none'; reason: string };

export const default_photos_dir = '.data/photos';

export interface QueueConfig {
  url: string;
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
}

export const default_qstash_url = 'https://qstash.upstash.io';
/** The variables that configure the queue; all but QSTASH_URL must be set together. */
export const qstash_variables = ['QSTASH_TOKEN', 'QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'] as const;

export const staff_session_ttl_seconds_default = 12 * 3600;
export const member_session_ttl_seconds_default = 7 * 24 * 3600;
export const default_wechat_api_base = 'https://api.weixin.qq.com';
export const dev_wechat_message_token = 'guitai-dev-wechat-message-token';

export function configFromEnv(env: Record<string, string | undefined>): AppConfig {
  const environment = deploymentEnvironment(env);
  const production = isDeployed(environment);
  const problems = deployedEnvProblems(env, environment);
  if (problems.length > 0) throw new DeploymentConfigError(environment, problems);
  const secret = env.SESSION_SECRET;
  if (production && (!secret || secret.length < session_secret_length_min)) {
    throw new Error(`SESSION_SECRET must be set to at least ${session_secret_length_min} characters in production`);
  }
  if (secret !== undefined && secret.length < session_secret_length_min) {
    throw new Error(`SESSION_SECRET is shorter than ${session_secret_length_min} characters`);
  }
  const level = env.LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) throw new Error(`LOG_LEVEL ${level} is not a level`);
  return {
    production,
    environment,
    databaseUrl: env.DATABASE_URL,
    databaseDriver: env.DATABASE_DRIVER,
    // Outside production a random secret means tokens simply do not survive a restart.
    sessionSecret: new TextEncoder().encode(secret ?? randomBytes(32).toString('hex')),
    staffSessionTtlSeconds: Number(env.STAFF_SESSION_TTL_SECONDS ?? staff_session_ttl_seconds_default),
    memberSessionTtlSeconds: Number(env.MEMBER_SESSION_TTL_SECONDS ?? member_session_ttl_seconds_default),
    cronSecret: env.CRON_SECRET,
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    publicBaseUrl: publicBaseUrl(env, environment),
    logLevel: level as AppConfig['logLevel'],
    wechatApp: {
      apiBase: (env.WECHAT_API_BASE?.trim() || default_wechat_api_base).replace(/\/+$/, ''),
      appId: env.WECHAT_APPID?.trim() || undefined,
      appSecret: env.WECHAT_APP_SECRET?.trim() || undefined,
    },
    wechatMessageToken: env.WECHAT_MESSAGE_TOKEN?.trim() || (production ? undefined : dev_wechat_message_token),
    queue: queueConfig(env),
    photos: photoStoreConfig(env, production),
  };
}

function photoStoreConfig(env: Record<string, string | undefined>, production: boolean): PhotoStoreConfig {
  const token = env.BLOB_READ_WRITE_TOKEN?.trim();
  if (token) return { kind: 'blob', token };
  if (production) return { kind: 'none', reason: '未配置照片存储（BLOB_READ_WRITE_TOKEN），暂不能上传商品照片' };
  return { kind: 'disk', dir: env.PHOTOS_DIR?.trim() || default_photos_dir };
}

/** The queue's settings, or null when none is given; half a configuration is refused rather than guessed at. */
function queueConfig(env: Record<string, string | undefined>): QueueConfig | null {
  const given = qstash_variables.filter((name) => env[name]?.trim());
  if (given.length === 0) return null;
  if (given.length < qstash_variables.length) {
    throw new Error(`${qstash_variables.filter((n) => !given.includes(n)).join(', ')} must be set with ${given.join(', ')}: the queue needs its token and both signing keys`);
  }
  return {
    url: (env.QSTASH_URL?.trim() || default_qstash_url).replace(/\/+$/, ''),
    token: env.QSTASH_TOKEN!.trim(),
    currentSigningKey: env.QSTASH_CURRENT_SIGNING_KEY!.trim(),
    nextSigningKey: env.QSTASH_NEXT_SIGNING_KEY!.trim(),
  };
}

export const default_public_base_url = 'http://127.0.0.1:8787';

function publicBaseUrl(env: Record<string, string | undefined>, environment: DeploymentEnvironment): string {
  const given = env.PUBLIC_BASE_URL?.trim() || defaultPublicBaseUrl(env, environment);
  if (!given) {
    if (isDeployed(environment)) throw new Error('PUBLIC_BASE_URL must be set in production: payment platforms send notifications there');
    return default_public_base_url;
  }
  try {
    return new URL(given).href.replace(/\/+$/, '');
  } catch {
    throw new Error('PUBLIC_BASE_URL is not a URL');
  }
}

/** A deployment that may not serve, with every reason at once. */
export class DeploymentConfigError extends Error {
  constructor(
    readonly environment: DeploymentEnvironment,
    readonly problems: string[],
  ) {
    super(`this ${environment} deployment may not start:\n- ${problems.join('\n- ')}`);
    this.name = 'DeploymentConfigError';
  }
}
