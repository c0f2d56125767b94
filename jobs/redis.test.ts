import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type OwnRedis, startOwnRedis } from '../test/kit/redis-server.ts';
import { assertRedisUsable, RedisNotReadyError } from './redis.ts';

describe('Redis start-up check', () => {
  let evicting: OwnRedis;
  let proper: OwnRedis;
  beforeAll(async () => {
    [evicting, proper] = await Promise.all([
      startOwnRedis(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']),
      startOwnRedis(['--maxmemory-policy', 'noeviction']),
    ]);
  });
  afterAll(async () => {
    await Promise.all([evicting?.stop(), proper?.stop()]);
  });

  it('accepts a Redis that never evicts', async () => {
    await expect(assertRedisUsable(proper.url)).resolves.toBeUndefined();
  });

  it('refuses a Redis that evicts keys, and says how to fix it', async () => {
    const error = await assertRedisUsable(evicting.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisNotReadyError);
    expect((error as Error).message).toMatch(/maxmemory-policy "allkeys-lru"/);
    expect((error as Error).message).toMatch(/CONFIG SET maxmemory-policy noeviction/);
  });

  it('says how to start Redis when none answers', async () => {
    const port = await freePort();
    const error = await assertRedisUsable(`redis://127.0.0.1:${port}`, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisNotReadyError);
    expect((error as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*unreachable`));
    expect((error as Error).message).toMatch(/redis-server --daemonize yes/);
  });
});
