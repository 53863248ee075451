import { rateLimitByAddress } from '../_kernel/rate-limit.js';

/** Login codes are one-time, but each attempt costs a platform call: bound them per client address. */
export const login_attempts_per_minute_max = 30;

export const loginRateLimit = rateLimitByAddress({ name: 'login_attempts_per_minute_max', max: login_attempts_per_minute_max, windowSeconds: 60 }, '登录尝试');
