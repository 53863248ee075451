/**
 * A short in-process cache for what prices a sale but rarely changes (a
 * store's settings and promotions). It only saves reads: a sale priced with a
 * rule a few seconds old is still checked against the counter's own preview,
 * and a write in this process clears it at once.
 */
export const pricing_context_cache_ms = 5_000;
export const pricing_context_cache_entries_max = 1_000;

interface Entry<T> {
  value: Promise<T>;
  expiresAt: number;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    // A failed load is not remembered.
    value.catch(() => this.entries.delete(key));
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
