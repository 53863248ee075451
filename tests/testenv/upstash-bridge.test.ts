import { createHash } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from '../../tools/testenv/redis.js';
import { unavailableReason } from '../../tools/testenv/service-unavailable.js';
import { startUpstashBridge, type UpstashBridge } from '../../tools/testenv/upstash-bridge.js';
import { requireThat } from '../_support/requires.js';

const missing = unavailableReason(() => findRedisServer());

describe.skipIf(!requireThat(missing === undefined, missing ?? ''))('Upstash bridge', () => {
  let bridge: UpstashBridge;
  let redis: Redis;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(bridge.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${bridge.token}`, ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    bridge = await startUpstashBridge();
    redis = new Redis({ url: bridge.url, token: bridge.token, retry: false });
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  it('sets and gets JSON values and plain strings, with non-ASCII text', async () => {
    await redis.set('order:1', { total_fen: 1250, note: '少冰' });
    expect(await redis.get('order:1')).toEqual({ total_fen: 1250, note: '少冰' });
    await redis.set('name', '柜台');
    expect(await redis.get('name')).toBe('柜台');
    expect(await redis.get('absent')).toBeNull();
  });

  it('runs Lua scripts with Upstash-only shebang flags, by EVAL and then by the EVALSHA of the text the client sent', async () => {
    const script = '#!lua flags=allow-key-locking\nreturn redis.call("INCRBY", KEYS[1], ARGV[1])';
    const sha = createHash('sha1').update(script).digest('hex');
    await expect(redis.evalsha(sha, ['script:n'], [1])).rejects.toThrow(/NOSCRIPT/);
    expect(await redis.eval(script, ['script:n'], [2])).toBe(2);
    expect(await redis.evalsha(sha, ['script:n'], [3])).toBe(5);
    // A flag redis-server knows is kept, and a script without flags is sent as it is.
    expect(await redis.eval('#!lua flags=no-writes,allow-key-locking\nreturn redis.call("GET", KEYS[1])', ['script:n'], [])).toBe(5);
    expect(await redis.eval('return 7', [], [])).toBe(7);
  });

  it('increments, expires and deletes', async () => {
    expect(await redis.incr('counter')).toBe(1);
    expect(await redis.incr('counter')).toBe(2);
    expect(await redis.expire('counter', 60)).toBe(1);
    const ttl = await redis.ttl('counter');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await redis.del('counter', 'never-set')).toBe(1);
    expect(await redis.exists('counter')).toBe(0);
  });

  it('runs a pipeline and reports a failing command in its place', async () => {
    const results = await redis
      .pipeline()
      .set('p:a', 'x')
      .hset('p:h', { f: 'v' })
      .hgetall('p:h')
      .incr('p:a')
      .exec({ keepErrors: true });
    expect(results.map((r) => r.result)).toEqual(['OK', 1, { f: 'v' }, undefined]);
    expect(results[3]?.error).toMatch(/not an integer/);
  });

  it('runs multi-exec as one transaction', async () => {
    const results = await redis.multi().set('m:a', 1).incr('m:a').get('m:a').exec();
    expect(results).toEqual(['OK', 2, 2]);
  });

  it('answers an error with status 400 and a message', async () => {
    await expect(redis.lpush('name', 'x')).rejects.toThrow(/WRONGTYPE/);
    const response = await post('/', ['get']);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.stringMatching(/wrong number of arguments/) });
  });

  it('rejects a request without the bearer token', async () => {
    const response = await fetch(bridge.url, { method: 'POST', body: '["ping"]' });
    expect(response.status).toBe(401);
    const wrong = new Redis({ url: bridge.url, token: 'wrong', retry: false });
    await expect(wrong.get('name')).rejects.toThrow(/Unauthorized/);
  });

  it('base64-encodes every string of a nested result only when asked', async () => {
    await post('/', ['rpush', 'list', 'a', '茶']);
    const plain = await post('/', ['lrange', 'list', 0, -1]);
    expect(await plain.json()).toEqual({ result: ['a', '茶'] });
    const encoded = await post('/pipeline', [['lrange', 'list', 0, -1], ['llen', 'list']], {
      'Upstash-Encoding': 'base64',
    });
    expect(await encoded.json()).toEqual([
      { result: [Buffer.from('a').toString('base64'), Buffer.from('茶').toString('base64')] },
      { result: 2 },
    ]);
  });
});
