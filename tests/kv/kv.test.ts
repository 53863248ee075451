import { describe, expect, it } from 'vitest';
import type { Kv } from '../../api/_kv/kv';
import { MemoryKv } from '../../api/_kv/memory';
import { UpstashKv } from '../../api/_kv/upstash';
import { kvFromEnv } from '../../api/_kv/index';
import { requireThat } from '../_support/requires';

const upstashUrl = process.env.GUITAI_TEST_UPSTASH_URL ?? '';
const upstashToken = process.env.GUITAI_TEST_UPSTASH_TOKEN ?? '';

const targets: { name: string; available: boolean; make: () => Kv }[] = [
  { name: 'memory', available: true, make: () => new MemoryKv() },
  {
    name: 'upstash (redis-server behind the REST bridge)',
    available: requireThat(upstashUrl !== '' && upstashToken !== '', 'no Upstash bridge (GUITAI_TEST_UPSTASH_URL is not set)'),
    make: () => new UpstashKv({ url: upstashUrl, token: upstashToken, retry: false }),
  },
];

for (const target of targets) {
  describe.skipIf(!target.available)(`kv on ${target.name}`, () => {
    const prefix = `t:${Math.random().toString(36).slice(2)}:`;

    it('stores JSON values as given, numeric strings included', async () => {
      const kv = target.make();
      await kv.ping();
      await kv.set(`${prefix}a`, { fen: 1234, name: '可乐', tags: ['x'] });
      expect(await kv.get(`${prefix}a`)).toEqual({ fen: 1234, name: '可乐', tags: ['x'] });
      await kv.set(`${prefix}s`, '0012');
      expect(await kv.get(`${prefix}s`)).toBe('0012');
      expect(await kv.get(`${prefix}missing`)).toBeNull();
      await kv.del(`${prefix}a`);
      expect(await kv.get(`${prefix}a`)).toBeNull();
    });

    it('sets only if absent when asked, for locks', async () => {
      const kv = target.make();
      expect(await kv.set(`${prefix}lock`, 'me', { onlyIfAbsent: true, ttlSeconds: 30 })).toBe(true);
      expect(await kv.set(`${prefix}lock`, 'you', { onlyIfAbsent: true, ttlSeconds: 30 })).toBe(false);
      expect(await kv.get(`${prefix}lock`)).toBe('me');
    });

    it('counts atomically under concurrency', async () => {
      const kv = target.make();
      const results = await Promise.all(Array.from({ length: 50 }, () => kv.incrBy(`${prefix}n`, 2, 60)));
      expect(new Set(results).size).toBe(50);
      expect(Math.max(...results)).toBe(100);
      expect(await kv.get(`${prefix}n`)).toBe(100);
    });

    it('refuses empty and oversize keys', async () => {
      const kv = target.make();
      await expect(kv.get('')).rejects.toThrow(RangeError);
      await expect(kv.set('k'.repeat(600), 1)).rejects.toThrow(RangeError);
    });
  });
}

describe('kv expiry and choice', () => {
  it('expires entries by the injected clock', async () => {
    let now = 1_000_000;
    const kv = new MemoryKv(() => now);
    await kv.set('a', 1, { ttlSeconds: 10 });
    await kv.incrBy('c', 1, 5);
    now += 5_000;
    expect(await kv.get('c')).toBeNull();
    expect(await kv.get('a')).toBe(1);
    now += 5_000;
    expect(await kv.get('a')).toBeNull();
  });

  it('uses Upstash only when both its URL and token are set', () => {
    expect(kvFromEnv({}).driver).toBe('memory');
    expect(kvFromEnv({ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' }).driver).toBe('memory');
    expect(kvFromEnv({ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io', UPSTASH_REDIS_REST_TOKEN: 't' }).driver).toBe('upstash');
  });
});
