import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './services.ts';

/** Fails the run at once, with the fix, when PostgreSQL or Redis is not there. */
export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `tests need PostgreSQL at ${TEST_DATABASE_URL} (${(error as Error).message}); start it or set TEST_DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `tests need Redis at ${TEST_REDIS_URL} (${(error as Error).message}); start it or set TEST_REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}
