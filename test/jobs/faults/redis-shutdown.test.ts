import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/kit/logger.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { startWorkers } from '../../../jobs/workers.ts';
import { createJobLedger, type JobLedger } from '../../kit/job-ledger.ts';
import { type OwnRedis, startOwnRedis } from '../../kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';

describe('stopping workers while Redis is away', () => {
  let redis: OwnRedis;
  let db: TestDatabase;
  let ledger: JobLedger;
  beforeAll(async () => {
    [redis, db] = await Promise.all([startOwnRedis(), createTestDatabase({ prepare: false })]);
    ledger = await createJobLedger(db.orm);
  });
  afterAll(async () => {
    await redis?.stop();
    await db?.drop();
  });

  it('closes without waiting for Redis to come back (SIGTERM during an outage does not hang)', async () => {
    const connection = createRedisConnection(redis.url);
    connection.on('error', () => {});
    const workers = startWorkers([ledger.definition], {
      connection,
      prefix: `fault-${randomBytes(4).toString('hex')}`,
      orm: db.orm,
      logger: createLogger('silent'),
      closeTimeoutMs: 1000,
    });
    await new Promise((r) => setTimeout(r, 500));
    await redis.shutdown();
    // Resolves (the test's own timeout would catch a hang); the workers' connections are let go.
    await workers.close();
    connection.disconnect();
    expect(redis.running).toBe(false);
  }, 20_000);
});
