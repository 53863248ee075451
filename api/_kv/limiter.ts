import type { Kv } from './kv.js';
import { UpstashKv } from './upstash.js';

/**
 * A named limit: at most `max` hits per `windowSeconds` for one identifier
 * (a client address, a staff member, a member). Every rule is a named
 * constant where it is used, so the number and its unit are in one place.
 */
export interface RateRule {
  /** Part of the key and of the log: which limit this is (`login`, `public_catalog` …). */
  name: string;
  max: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Hits left in the current window after this one. */
  remaining: number;
  /** When the window ends, in ms since the epoch. */
  resetAt: number;
}

/** Counts hits against a rule; Upstash in production, this process in dev and tests. */
export interface RateLimiter {
  readonly driver: 'memory' | 'upstash';
  hit(rule: RateRule, identifier: string): Promise<RateDecision>;
}

/** The in-process limiter: fixed windows on the app's clock, so tests that move the clock move the windows. */
export class MemoryLimiter implements RateLimiter {
  readonly driver = 'memory' as const;
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async hit(rule: RateRule, identifier: string): Promise<RateDecision> {
    const now = this.now();
    const windowMs = rule.windowSeconds * 1000;
    const start = Math.floor(now / windowMs) * windowMs;
    const key = `${rule.name}:${identifier}:${start}`;
    const entry = this.windows.get(key) ?? { count: 0, resetAt: start + windowMs };
    entry.count += 1;
    this.windows.set(key, entry);
    // Ended windows are dropped as new ones open, so the map holds only live ones.
    if (entry.count === 1) for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
    return { allowed: entry.count <= rule.max, remaining: Math.max(0, rule.max - entry.count), resetAt: entry.resetAt };
  }
}

type Ratelimit = import('@upstash/ratelimit').Ratelimit;

/**
 * `@upstash/ratelimit` on the deployment's Upstash database: fixed windows
 * kept by a Lua script (EVALSHA, EVAL when the script is not loaded yet), so
 * every function instance shares the count. The library loads on the first
 * hit, keeping it out of a cold start. When Upstash does not answer within
 * its timeout the library lets the request through: a rate limit is a brake,
 * not the truth, and an outage of the store must not close the shop.
 */
export class UpstashLimiter implements RateLimiter {
  readonly driver = 'upstash' as const;
  private readonly limits = new Map<string, Promise<Ratelimit>>();
  constructor(private readonly redis: UpstashKv['redis']) {}

  private limiterOf(rule: RateRule): Promise<Ratelimit> {
    const key = `${rule.name}:${rule.max}:${rule.windowSeconds}`;
    let made = this.limits.get(key);
    if (!made) {
      made = import('@upstash/ratelimit').then(
        ({ Ratelimit }) => new Ratelimit({ redis: this.redis, limiter: Ratelimit.fixedWindow(rule.max, `${rule.windowSeconds} s`), prefix: `rl:${rule.name}`, analytics: false }),
      );
      this.limits.set(key, made);
    }
    return made;
  }

  async hit(rule: RateRule, identifier: string): Promise<RateDecision> {
    const result = await (await this.limiterOf(rule)).limit(identifier);
    return { allowed: result.success, remaining: result.remaining, resetAt: result.reset };
  }
}

/** The limiter that shares the key-value store's backend: Upstash with Upstash, this process otherwise. */
export function limiterFor(kv: Kv, now: () => number): RateLimiter {
  return kv instanceof UpstashKv ? new UpstashLimiter(kv.redis) : new MemoryLimiter(now);
}
