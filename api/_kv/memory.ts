import { checkKey, type Kv, type SetOptions } from './kv.js';

interface Entry {
  json: string;
  expiresAt: number | null;
}

/** The in-process store for `npm run dev` and unit tests. Values are stored as JSON text, as Redis would. */
export class MemoryKv implements Kv {
  readonly driver = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(checkKey(key));
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get<T>(key: string): Promise<T | null> {
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.json) as T) : null;
  }

  async set(key: string, value: unknown, options: SetOptions = {}): Promise<boolean> {
    if (options.onlyIfAbsent && this.live(key)) return false;
    const expiresAt = options.ttlSeconds ? this.now() + options.ttlSeconds * 1000 : null;
    this.entries.set(checkKey(key), { json: JSON.stringify(value), expiresAt });
    return true;
  }

  async del(key: string): Promise<void> {
    this.entries.delete(checkKey(key));
  }

  async incrBy(key: string, by: number, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    const current = entry ? Number(JSON.parse(entry.json)) : 0;
    if (!Number.isSafeInteger(current)) throw new TypeError(`kv key ${key} does not hold an integer`);
    const next = current + by;
    const expiresAt = entry ? entry.expiresAt : ttlSeconds ? this.now() + ttlSeconds * 1000 : null;
    this.entries.set(key, { json: JSON.stringify(next), expiresAt });
    return next;
  }

  async ping(): Promise<void> {}
}
