import { describe, expect, it } from 'vitest';
import { MemoryLimiter, UpstashLimiter, type RateLimiter } from '../../api/_kv/limiter';
import { UpstashKv } from '../../api/_kv/upstash';
import { requireThat } from '../_support/requires';

const upstashUrl = process.env.GUITAI_TEST_UPSTASH_URL ?? '';
const upstashToken = process.env.GUITAI_TEST_UPSTASH_TOKEN ?? '';

/**
 * The same rules on both limiters: the in-process one of dev and tests, and
 * `@upstash/ratelimit` on redis-server behind the Upstash REST bridge (its
 * Lua scripts by EVALSHA, EVAL after NOSCRIPT, with Upstash's shebang flags).
 */
const targets: { name: string; available: boolean; make: () => RateLimiter }[] = [
  { name: 'memory', available: true, make: () => new MemoryLimiter() },
  {
    name: 'upstash (redis-server behind the REST bridge)',
    available: requireThat(upstashUrl !== '' && upstashToken !== '', 'no Upstash bridge (GUITAI_TEST_UPSTASH_URL is not set)'),
    make: () => new UpstashLimiter(new UpstashKv({ url: upstashUrl, token: upstashToken, retry: false }).redis),
  },
];

for (const target of targets) {
  describe.skipIf(!target.available)(`rate limiter on ${target.name}`, () => {
    const rule = { name: `t_${Math.random().toString(36).slice(2)}_per_minute_max`, max: 3, windowSeconds: 60 };

    it('allows up to the limit in a window and refuses past it, per identifier', async () => {
      const limiter = target.make();
      const decisions = [];
      for (let i = 0; i < 5; i++) decisions.push(await limiter.hit(rule, 'a'));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
      expect(decisions[0]!.remaining).toBe(2);
      expect(decisions[4]!.resetAt).toBeGreaterThan(Date.now());
      expect((await limiter.hit(rule, 'b')).allowed).toBe(true);
    });

    it('counts hits sent at once exactly', async () => {
      const limiter = target.make();
      const decisions = await Promise.all(Array.from({ length: 8 }, () => limiter.hit({ ...rule, name: `${rule.name}_burst` }, 'c')));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(rule.max);
    });
  });
}

describe('the in-process limiter', () => {
  it('opens a new window when the clock passes the old one', async () => {
    let now = Date.UTC(2026, 0, 1, 8, 0, 0);
    const limiter = new MemoryLimiter(() => now);
    const rule = { name: 'w_per_minute_max', max: 1, windowSeconds: 60 };
    expect((await limiter.hit(rule, 'x')).allowed).toBe(true);
    expect((await limiter.hit(rule, 'x')).allowed).toBe(false);
    now += 60_000;
    expect((await limiter.hit(rule, 'x')).allowed).toBe(true);
  });
});
