import { randomBytes } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../../adapters/kit/logger.ts';
import { DeadLetter } from '../../db/entities/dead-letter.ts';
import { forkEm } from '../../db/orm.ts';
import { defineJob } from '../../jobs/job-definition.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { type RunningWorkers, startWorkers, sweepFailedJobs } from '../../jobs/workers.ts';
import { eventually } from '../kit/eventually.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';

/** A job that always fails for good. */
const refused = defineJob({
  name: 'always-refused',
  queue: 'sweep-test',
  attempts: 1,
  payload: z.object({ n: z.number() }).strict(),
  async process() {
    throw new UnrecoverableError('the department said no');
  },
});

describe('dead letters are never lost', () => {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  let db: TestDatabase;
  let queues: HubQueues;
  let workers: RunningWorkers;
  beforeAll(async () => {
    db = await createTestDatabase();
    queues = new HubQueues(redis, prefix);
    workers = startWorkers([refused as never], {
      connection: redis,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await workers?.close();
    await queues?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('a dead letter not written when its job failed is written from the failed list, once', async () => {
    await queues.enqueue(refused, { n: 1 }, { jobId: 'refused-1' });
    await queues.enqueue(refused, { n: 2 }, { jobId: 'refused-2' });
    await eventually(async () => (await forkEm(db.orm).count(DeadLetter)) === 2, 20_000);
    // One letter lost (as if the process stopped right after the failure); another already sent again.
    await forkEm(db.orm).execute(`delete from dead_letter where job_id = 'refused-1'`);
    await forkEm(db.orm).execute(`update dead_letter set retried_at = now() where job_id = 'refused-2'`);

    const settings = { connection: redis, prefix, orm: db.orm };
    expect(await sweepFailedJobs(['sweep-test'], settings)).toBe(1);
    expect(await sweepFailedJobs(['sweep-test'], settings)).toBe(0);
    const letters = await forkEm(db.orm).find(DeadLetter, {}, { orderBy: { jobId: 'asc' } });
    expect(letters.map((l) => [l.jobId, l.reason, l.retriedAt === null])).toEqual([
      ['refused-1', 'the department said no', true],
      ['refused-2', 'the department said no', false],
    ]);
  });
});
