import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connection for BullMQ: `maxRetriesPerRequest: null` lets blocking worker commands wait out a Redis
 * restart instead of failing the job.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

export class RedisNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisNotReadyError';
  }
}

function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * Start-up check: Redis answers, and it will not evict keys (BullMQ loses jobs under any eviction
 * policy). Each failure says how to fix it.
 */
export async function assertRedisUsable(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      throw new RedisNotReadyError(
        `Redis at ${redactUrl(url)} is unreachable (${(error as Error).message}). ` +
          'Start one, e.g. `redis-server --daemonize yes --port 6379` (Debian: `apt-get install redis-server`), ' +
          'or point REDIS_URL at a running server.',
      );
    }
    // INFO works where CONFIG is disabled (managed Redis).
    const info = await redis.info('memory');
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy && policy !== 'noeviction') {
      throw new RedisNotReadyError(
        `Redis at ${redactUrl(url)} has maxmemory-policy "${policy}"; the job queues need "noeviction" or they lose jobs. ` +
          'Fix: `redis-cli CONFIG SET maxmemory-policy noeviction` and set `maxmemory-policy noeviction` in redis.conf.',
      );
    }
  } finally {
    redis.disconnect();
  }
}

export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
