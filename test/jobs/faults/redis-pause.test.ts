import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubQueues } from '../../../jobs/queues.ts';
import { createRedisConnection } from '../../../jobs/redis.ts';
import { type RunningWorkers, startWorkers } from '../../../jobs/workers.ts';
import { eventually } from '../../kit/eventually.ts';
import { createJobLedger, type JobLedger } from '../../kit/job-ledger.ts';
import { type OwnRedis, startOwnRedis } from '../../kit/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../../kit/test-database.ts';

const OUTAGE_MS = 20_000;
const AFTER = 30;

/** Whether a Redis answers at `url` (a SIGSTOPped one would still accept connections; a shut one does not). */
async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

describe('Redis away for 20 s under an idle worker', () => {
  let redis: OwnRedis;
  let db: TestDatabase;
  let ledger: JobLedger;
  let connection: Redis;
  let queues: HubQueues;
  let workers: RunningWorkers | undefined;
  const prefix = `fault-${randomBytes(4).toString('hex')}`;
  const escaped: { kind: string; error: unknown }[] = [];
  const onRejection = (error: unknown) => escaped.push({ kind: 'unhandledRejection', error });
  const onException = (error: unknown) => escaped.push({ kind: 'uncaughtException', error });
  const logs: { level: number; msg: string; err?: string }[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) },
  );

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
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
    await workers?.close();
    await queues?.close();
    connection?.disconnect();
    await redis?.stop();
    await db?.drop();
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  });

  it('resumes by itself: jobs enqueued after Redis is back are processed once, and nothing crashed', async () => {
    workers = startWorkers([ledger.definition], {
      connection,
      prefix,
      orm: db.orm,
      logger,
      concurrency: 4,
    });
    // The worker works, then idles (blocked waiting for the next job) when Redis goes.
    await queues.enqueue(ledger.definition, { key: 'before' }, { jobId: 'before' });
    await eventually(async () => (await ledger.count()) === 1);

    await redis.shutdown('SIGTERM');
    expect(await answers(redis.url)).toBe(false);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // The worker saw the outage (its connection errors went to its handler, and to the log).
    expect(logs.some((l) => l.msg === 'worker error')).toBe(true);
    await redis.start();

    // Enqueued through the queues that lived through the outage; a third of them delayed.
    const keys = Array.from({ length: AFTER }, (_, i) => `after-${String(i).padStart(2, '0')}`);
    for (const [i, key] of keys.entries()) {
      await queues.enqueue(ledger.definition, { key }, { jobId: key, delayMs: i % 3 === 0 ? 1000 : 0 });
    }
    await eventually(async () => (await ledger.count()) === AFTER + 1, 40_000, 100);
    const queue = queues.queue(ledger.definition.queue);
    const counts = await eventually(async () => {
      const c = await queue.getJobCounts('active', 'waiting', 'delayed', 'completed', 'failed');
      return c.completed === AFTER + 1 ? c : null;
    });
    expect(counts).toMatchObject({ active: 0, waiting: 0, delayed: 0, failed: 0 });
    expect(await ledger.keys()).toEqual([...keys, 'before'].sort());
    expect(ledger.duplicates).toBe(0);
    expect(ledger.started).toBe(AFTER + 1);

    // The worker object lived through it: no job failed, nothing escaped as an unhandled error, and
    // it still closes cleanly, taking every connection of its own with it.
    expect(logs.filter((l) => l.msg === 'job failed')).toEqual([]);
    expect(escaped).toEqual([]);
    await workers.close();
    workers = undefined;
    // Left: the test's own connection (the server notices the closed sockets a moment later).
    const ownId = Number(await connection.client('ID'));
    await eventually(async () => {
      const ids = String(await connection.client('LIST')).match(/^id=\d+/gm) ?? [];
      return ids.length === 1 && ids[0] === `id=${ownId}`;
    });
    expect(escaped).toEqual([]);
  }, 90_000);
});
