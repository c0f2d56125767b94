import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../adapters/kit/logger.ts';
import { DeadLetter } from '../../db/entities/dead-letter.ts';
import { OutboxEvent } from '../../db/entities/outbox-event.ts';
import { forkEm } from '../../db/orm.ts';
import { relayOutboxOnce, startOutboxRelay } from '../../jobs/outbox-relay.ts';
import { HubQueues } from '../../jobs/queues.ts';
import { createRedisConnection } from '../../jobs/redis.ts';
import { jobDefinitions } from '../../jobs/registry.ts';
import { eventually } from '../kit/eventually.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import { createTestDatabase, type TestDatabase } from '../kit/test-database.ts';

describe('the outbox relay', () => {
  const prefix = `test-${randomBytes(5).toString('hex')}`;
  const redis = createRedisConnection(TEST_REDIS_URL);
  let db: TestDatabase;
  let queues: HubQueues;
  beforeAll(async () => {
    db = await createTestDatabase();
    queues = new HubQueues(redis, prefix);
  });
  afterAll(async () => {
    await queues?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('keeps an event its job cannot take as a dead letter, and relays the rest', async () => {
    // A case event without its case (a bug elsewhere) must not hold up every event behind it.
    const caseId = randomUUID();
    await forkEm(db.orm).transactional(async (tx) => {
      tx.create(OutboxEvent, { topic: 'case.accepted', caseId: null, payload: {}, publishedAt: null });
      tx.create(OutboxEvent, { topic: 'delivery.ready', caseId, payload: {}, publishedAt: null });
    });
    expect(await relayOutboxOnce(db.orm, queues, jobDefinitions)).toBe(2);
    expect(await relayOutboxOnce(db.orm, queues, jobDefinitions)).toBe(0);
    const letters = await forkEm(db.orm).find(DeadLetter, {});
    expect(letters.map((l) => l.jobName).sort()).toEqual([
      'notify-applicant',
      'record-on-platform',
      'transfer-materials',
    ]);
    expect(letters.every((l) => /does not fit the job's payload/.test(l.reason))).toBe(true);
    const notifications = await queues.queue('notifications').getJobs(['waiting']);
    expect(notifications.map((j) => j.data)).toEqual([
      expect.objectContaining({ caseId, topic: 'delivery.ready' }),
    ]);
  });

  it('is woken by the commit of an outbox event, without waiting for its poll', async () => {
    // A poll an hour apart: only the notification from the outbox trigger can bring the event over.
    const relay = startOutboxRelay(db.orm, queues, jobDefinitions, createLogger('silent'), {
      idleMs: 3_600_000,
    });
    try {
      await new Promise((r) => setTimeout(r, 300)); // its first run and its LISTEN
      const caseIds = [randomUUID(), randomUUID()];
      for (const caseId of caseIds) {
        await forkEm(db.orm).transactional(async (tx) => {
          tx.create(OutboxEvent, { topic: 'delivery.ready', caseId, payload: {}, publishedAt: null });
        });
        await eventually(async () => {
          const jobs = await queues.queue('notifications').getJobs(['waiting']);
          return jobs.some((j) => (j.data as { caseId: string }).caseId === caseId);
        }, 5000);
      }
      // The jobs are in the queue before the relay's transaction marks the rows published.
      await eventually(
        async () => (await forkEm(db.orm).count(OutboxEvent, { publishedAt: null })) === 0,
        5000,
      );
    } finally {
      await relay.stop();
    }
  });
});
