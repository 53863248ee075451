import type { Kv } from './kv.js';
import { MemoryKv } from './memory.js';
import { UpstashKv } from './upstash.js';

export type { Kv } from './kv.js';
export { limiterFor, MemoryLimiter, type RateDecision, type RateLimiter, type RateRule } from './limiter.js';

/** Upstash when its URL and token are set, otherwise the in-process store. */
export function kvFromEnv(env: Record<string, string | undefined>): Kv {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (url && token) return new UpstashKv({ url, token });
  return new MemoryKv();
}
