import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';

/** Login codes are one-time, but each attempt costs a platform call: bound them per client address. */
export const login_attempts_per_minute_max = 30;

export const loginRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const ip = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || c.req.header('x-real-ip') || 'local';
  const minute = Math.floor(c.get('deps').clock().getTime() / 60_000);
  const count = await c.get('deps').kv.incrBy(`rl:login:${ip}:${minute}`, 1, 120);
  if (count > login_attempts_per_minute_max) {
    throw new AppError('rate_limited', `登录尝试过于频繁：每分钟最多 ${login_attempts_per_minute_max} 次`);
  }
  await next();
});
