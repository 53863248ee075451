import type { Kv } from './kv';
import { MemoryKv } from './memory';
import { UpstashKv } from './upstash';

export type { Kv } from './kv';

/** Upstash when its URL and token are set, otherwise the in-process store. */
export function kvFromEnv(env: Record<string, string | undefined>): Kv {
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  if (url && token) return new UpstashKv({ url, token });
  return new MemoryKv();
}
