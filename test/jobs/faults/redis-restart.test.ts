import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/kit/logger.ts';
import { HubQueues } from '../../../jobs/queues.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { type RunningWorkers, startWorkers } from '../../../jobs/workers.ts';
import { eventually } from '../../kit/eventually.ts';
import { createJobLedger, type JobLedger } from '../../kit/job-ledger.ts';
import { type OwnRedis, startOwnRedis } from '../../kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';

const JOBS = 200;
const CONCURRENCY = 4;
const key = (i: number) => `job-${String(i).padStart(3, '0')}`;
/** Every third job is delayed 3 to 5 s; the rest wait. */
const delayOf = (i: number) => (i % 3 === 0 ? 3000 + (i % 5) * 500 : 0);

const STATES = ['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed'] as const;
async function countsOf(queue: Queue): Promise<Record<(typeof STATES)[number], number>> {
  const counts = await queue.getJobCounts(...STATES);
  return Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0])) as Record<
    (typeof STATES)[number],
    number
  >;
}
/** Jobs still to run, in whatever state Redis keeps them. */
const unfinished = (c: Awaited<ReturnType<typeof countsOf>>) =>
  c.active + c.waiting + c.delayed + c.prioritized;

describe('Redis crashes and comes back while 200 jobs wait or are delayed', () => {
  let redis: OwnRedis;
  let db: TestDatabase;
  let ledger: JobLedger;
  let connection: Redis;
  let queues: HubQueues;
  let workers: RunningWorkers | undefined;
  const prefix = `fault-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    [redis, db] = await Promise.all([
      startOwnRedis(['--appendonly', 'yes', '--appendfsync', 'always']),
      createTestDatabase({ prepare: false }),
    ]);
    ledger = await createJobLedger(db.orm);
    connection = createRedisConnection(redis.url);
    connection.on('error', () => {});
    queues = new HubQueues(connection, prefix);
  });
  afterAll(async () => {
    // Redis back first, should the test have stopped with it down: closing workers waits for it.
    if (redis && !redis.running) await redis.start().catch(() => {});
    ledger?.release();
    await workers?.close();
    await queues?.close();
    connection?.disconnect();
    await redis?.stop();
    await db?.drop();
  });

  it('processes every one of them exactly once after the restart, on the same workers', async () => {
    const queue = queues.queue(ledger.definition.queue);
    // The workers are running but hold what they take, so a few jobs are active at the crash too.
    ledger.hold();
    workers = startWorkers([ledger.definition], {
      connection,
      prefix,
      orm: db.orm,
      logger: createLogger('silent'),
      concurrency: CONCURRENCY,
    });
    for (let i = 0; i < JOBS; i++) {
      await queues.enqueue(ledger.definition, { key: key(i) }, { jobId: key(i), delayMs: delayOf(i) });
    }
    const before = await eventually(async () => {
      const counts = await countsOf(queue);
      return counts.active === CONCURRENCY ? counts : null;
    });
    expect(unfinished(before)).toBe(JOBS);
    expect(before.delayed).toBeGreaterThan(0);
    expect(before.waiting).toBeGreaterThan(0);

    // A crash, not a shutdown: only what `appendfsync always` already wrote survives.
    await redis.shutdown('SIGKILL');
    expect(redis.running).toBe(false);
    await redis.start();

    const after = await countsOf(queue);
    expect(unfinished(after)).toBe(JOBS);
    expect(after.completed).toBe(0);
    expect(await ledger.count()).toBe(0);

    ledger.release();
    await eventually(async () => (await ledger.count()) === JOBS, 60_000, 100);
    const done = await eventually(async () => {
      const counts = await countsOf(queue);
      return counts.completed === JOBS ? counts : null;
    }, 30_000);
    expect(done).toMatchObject({ active: 0, waiting: 0, delayed: 0, prioritized: 0, failed: 0 });
    expect(await ledger.keys()).toEqual(Array.from({ length: JOBS }, (_, i) => key(i)));
    expect(ledger.duplicates).toBe(0);
    expect(ledger.started).toBe(JOBS);
  }, 90_000);
});
