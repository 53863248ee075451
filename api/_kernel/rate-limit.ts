import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { RateRule } from '../_kv/limiter.js';
import type { AppEnv } from './context.js';
import { AppError } from './errors.js';
import type { Deps } from './deps.js';

/**
 * The caller's address as the platform saw it. On Vercel the edge sets
 * `x-vercel-forwarded-for` and `x-real-ip` itself, overwriting whatever the
 * client sent; the first entry of `X-Forwarded-For` is what the client wrote
 * and is never trusted. Off Vercel (dev, tests) the same headers are read,
 * which only a local caller can set.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const vercel = c.req.header('x-vercel-forwarded-for')?.split(',')[0]?.trim();
  return vercel || c.req.header('x-real-ip')?.trim() || 'local';
}

function windowText(seconds: number): string {
  if (seconds === 60) return '每分钟';
  if (seconds === 3600) return '每小时';
  if (seconds === 86_400) return '每天';
  return `每 ${seconds} 秒`;
}

/**
 * Counts one hit of `rule` for `identifier` and refuses past the limit with
 * 429 `rate_limited`, naming the limit and its number. `what` says in
 * Chinese what was too frequent (登录尝试, 会员查询 …).
 */
export async function enforceRate(deps: Deps, rule: RateRule, identifier: string, what: string): Promise<void> {
  const decision = await deps.limiter.hit(rule, identifier);
  if (decision.allowed) return;
  const waitSeconds = Math.max(1, Math.ceil((decision.resetAt - deps.clock().getTime()) / 1000));
  throw new AppError('rate_limited', `${what}过于频繁：${windowText(rule.windowSeconds)}最多 ${rule.max} 次（${rule.name}），请 ${waitSeconds} 秒后再试`, undefined, { retryAfterSeconds: waitSeconds });
}

/** A middleware limiting a route per client address (see clientAddress); `scope` splits one rule, e.g. by channel. */
export function rateLimitByAddress(rule: RateRule, what: string, scope: (c: Context<AppEnv>) => string = () => '') {
  return createMiddleware<AppEnv>(async (c, next) => {
    const s = scope(c);
    await enforceRate(c.get('deps'), rule, s ? `${s}:${clientAddress(c)}` : clientAddress(c), what);
    await next();
  });
}
