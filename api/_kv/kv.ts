/**
 * The small key-value interface the API uses for speed only (caches, live
 * counters, rate limits, locks). Nothing here is the truth: Postgres is.
 * Values are JSON.
 */
export interface SetOptions {
  ttlSeconds?: number;
  /** Set only if the key does not exist (a lock or a first-seen marker). */
  onlyIfAbsent?: boolean;
}

export interface Kv {
  readonly driver: 'memory' | 'upstash';
  get<T>(key: string): Promise<T | null>;
  /** Returns false when `onlyIfAbsent` was asked and the key existed. */
  set(key: string, value: unknown, options?: SetOptions): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Atomically adds `by` and returns the new value; sets a TTL on first creation when given. */
  incrBy(key: string, by: number, ttlSeconds?: number): Promise<number>;
  ping(): Promise<void>;
}

export const kv_key_length_max = 512;

export function checkKey(key: string): string {
  if (key.length === 0 || key.length > kv_key_length_max) throw new RangeError(`kv key must be 1..${kv_key_length_max} characters`);
  return key;
}
