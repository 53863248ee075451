import { Redis } from '@upstash/redis';
import { checkKey, type Kv, type SetOptions } from './kv.js';

/** Production key-value store: Upstash Redis over its REST API. */
export class UpstashKv implements Kv {
  readonly driver = 'upstash' as const;
  /** The client, shared with the rate limiter (limiter.ts), which runs its own scripts on it. */
  readonly redis: Redis;

  constructor(config: { url: string; token: string; retry?: boolean }) {
    this.redis = new Redis({
      url: config.url,
      token: config.token,
      // The client's own JSON handling would turn numeric strings into numbers; we store JSON ourselves.
      automaticDeserialization: false,
      ...(config.retry === false ? { retry: false } : {}),
    });
  }

  async get<T>(key: string): Promise<T | null> {
    const raw = await this.redis.get<string>(checkKey(key));
    return raw === null || raw === undefined ? null : (JSON.parse(raw) as T);
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<boolean> {
    const json = JSON.stringify(value);
    const ttl = options.ttlSeconds ? { ex: options.ttlSeconds } : {};
    const result = options.onlyIfAbsent
      ? await this.redis.set(checkKey(key), json, { ...ttl, nx: true } as { ex: number; nx: true })
      : await this.redis.set(checkKey(key), json, ttl as { ex: number });
    return result === 'OK';
  }

  async del(key: string): Promise<void> {
    await this.redis.del(checkKey(key));
  }

  async incrBy(key: string, by: number, ttlSeconds?: number): Promise<number> {
    const pipeline = this.redis.multi();
    pipeline.incrby(checkKey(key), by);
    // NX: only a key that has no TTL yet gets one, so a counter's window is fixed at creation.
    if (ttlSeconds) pipeline.expire(key, ttlSeconds, 'NX');
    const [value] = (await pipeline.exec()) as [number, ...unknown[]];
    return Number(value);
  }

  async ping(): Promise<void> {
    const pong = await this.redis.ping();
    if (pong !== 'PONG') throw new Error(`unexpected ping reply ${String(pong)}`);
  }
}
